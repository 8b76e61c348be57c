package org.chatrelay.markdown;

import java.util.List;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.HtmlWriter;

/**
 * Turns a finished answer (untrusted model output) into HTML that is safe to insert into the page: raw HTML is
 * escaped, links keep only http(s) and mailto targets and open with {@code rel="noopener noreferrer"}, images are
 * never fetched (they become text), headings sit below the page's own, code blocks get a copy button.
 * Thread-safe: the parser and renderer hold no per-call state.
 */
public final class MarkdownRenderer {
    /** Beyond this the text is shown as an escaped plain block: the renderer recurses per nesting level. */
    static final int MAX_CHARS = 400_000;

    private final Parser parser;
    private final HtmlRenderer renderer;

    public MarkdownRenderer() {
        List<Extension> extensions = List.of(TablesExtension.create());
        parser = Parser.builder().extensions(extensions).build();
        renderer = HtmlRenderer.builder()
                .extensions(extensions)
                .escapeHtml(true)
                .sanitizeUrls(true)
                .urlSanitizer(new UrlPolicy())
                .nodeRendererFactory(SafeLinks::new)
                .nodeRendererFactory(CodeBlocks::new)
                .nodeRendererFactory(Headings::new)
                .build();
    }

    public String toHtml(String markdown) {
        if (markdown == null || markdown.isEmpty()) {
            return "";
        }
        if (markdown.length() <= MAX_CHARS) {
            try {
                Node document = parser.parse(markdown);
                return renderer.render(document);
            } catch (StackOverflowError pathological) {
                // Thousands of nested quotes or lists: fall through to the plain rendering below.
            }
        }
        StringBuilder out = new StringBuilder(markdown.length() + 32);
        HtmlWriter w = new HtmlWriter(out);
        w.tag("p", java.util.Map.of("class", "plain"));
        w.text(markdown);
        w.tag("/p");
        return out.toString();
    }
}
