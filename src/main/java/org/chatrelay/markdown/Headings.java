package org.chatrelay.markdown;

import java.util.Set;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlWriter;

/** An answer's "# Title" sits below the page's h1 and each message's h2, so the outline stays sound. */
final class Headings implements NodeRenderer {
    private final HtmlNodeRendererContext context;
    private final HtmlWriter html;

    Headings(HtmlNodeRendererContext context) {
        this.context = context;
        this.html = context.getWriter();
    }

    @Override
    public Set<Class<? extends Node>> getNodeTypes() {
        return Set.of(Heading.class);
    }

    @Override
    public void render(Node node) {
        String tag = "h" + Math.min(6, ((Heading) node).getLevel() + 2);
        html.line();
        html.tag(tag);
        for (Node child = node.getFirstChild(); child != null; ) {
            Node next = child.getNext();
            context.render(child);
            child = next;
        }
        html.tag("/" + tag);
        html.line();
    }
}
