package org.chatrelay.markdown;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Node;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlWriter;

/**
 * A code block with a bar that names its language and holds a copy button (the page script handles its clicks:
 * no inline handler could run under the CSP anyway).
 * <pre>
 * &lt;div class="code-block"&gt;&lt;div class="code-bar"&gt;&lt;span class="code-lang"&gt;java&lt;/span&gt;
 * &lt;button type="button" class="copy-code"&gt;Copy code&lt;/button&gt;&lt;/div&gt;&lt;pre&gt;&lt;code class="language-java"&gt;…
 * </pre>
 */
final class CodeBlocks implements NodeRenderer {
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z0-9_+#.-]{1,32}");
    private final HtmlWriter html;

    CodeBlocks(HtmlNodeRendererContext context) {
        this.html = context.getWriter();
    }

    @Override
    public Set<Class<? extends Node>> getNodeTypes() {
        return Set.of(FencedCodeBlock.class, IndentedCodeBlock.class);
    }

    @Override
    public void render(Node node) {
        String literal;
        String language = null;
        if (node instanceof FencedCodeBlock fenced) {
            literal = fenced.getLiteral();
            String info = fenced.getInfo() == null ? "" : fenced.getInfo().strip();
            String first = info.isEmpty() ? "" : info.split("\\s+", 2)[0];
            language = LANGUAGE.matcher(first).matches() ? first : null;
        } else {
            literal = ((IndentedCodeBlock) node).getLiteral();
        }
        html.line();
        html.tag("div", Map.of("class", "code-block"));
        html.tag("div", Map.of("class", "code-bar"));
        html.tag("span", Map.of("class", "code-lang"));
        html.text(language == null ? "code" : language);
        html.tag("/span");
        Map<String, String> button = new LinkedHashMap<>();
        button.put("type", "button");
        button.put("class", "copy-code");
        html.tag("button", button);
        html.text("Copy code");
        html.tag("/button");
        html.tag("/div");
        html.tag("pre", Map.of("tabindex", "0"));
        html.tag("code", language == null ? Map.of() : Map.of("class", "language-" + language));
        html.text(literal);
        html.tag("/code");
        html.tag("/pre");
        html.tag("/div");
        html.line();
    }
}
