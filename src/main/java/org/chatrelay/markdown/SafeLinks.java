package org.chatrelay.markdown;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlWriter;

/**
 * Links and images from model output. A link with an allowed target opens in a new tab without referrer or opener; any
 * other link is rendered as its text only. An image is never an {@code <img>}: after a prompt injection its URL may
 * carry secrets to an attacker's server (docs/security-checklist.md S11), so it becomes the text "[image: alt]" and its
 * address.
 */
final class SafeLinks implements NodeRenderer {
    private final HtmlNodeRendererContext context;
    private final HtmlWriter html;

    SafeLinks(HtmlNodeRendererContext context) {
        this.context = context;
        this.html = context.getWriter();
    }

    @Override
    public Set<Class<? extends Node>> getNodeTypes() {
        return Set.of(Link.class, Image.class);
    }

    @Override
    public void render(Node node) {
        if (node instanceof Link link) {
            renderLink(link);
        } else if (node instanceof Image image) {
            renderImage(image);
        }
    }

    private void renderLink(Link link) {
        if (!UrlPolicy.allowed(link.getDestination())) {
            children(link);
            return;
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("href", context.encodeUrl(link.getDestination().strip()));
        if (link.getTitle() != null) {
            attrs.put("title", link.getTitle());
        }
        attrs.put("rel", "noopener noreferrer");
        attrs.put("target", "_blank");
        html.tag("a", attrs);
        children(link);
        html.tag("/a");
    }

    private void renderImage(Image image) {
        html.tag("span", Map.of("class", "image-as-text"));
        html.text("[image: " + altText(image) + "]");
        if (UrlPolicy.allowed(image.getDestination())) {
            html.text(" " + image.getDestination().strip());
        }
        html.tag("/span");
    }

    private void children(Node parent) {
        Node child = parent.getFirstChild();
        while (child != null) {
            Node next = child.getNext();
            context.render(child);
            child = next;
        }
    }

    private static String altText(Node image) {
        StringBuilder b = new StringBuilder();
        for (Node n = image.getFirstChild(); n != null; n = n.getNext()) {
            if (n instanceof Text t) {
                b.append(t.getLiteral());
            } else {
                b.append(altText(n));
            }
        }
        return b.toString();
    }
}
