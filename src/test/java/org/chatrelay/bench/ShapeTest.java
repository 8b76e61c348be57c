package org.chatrelay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void a_markdown_shape_travels_in_its_message_and_its_deltas_put_the_answer_together_in_json() throws Exception {
        Shape shape = Shape.in("{\"message\":\"" + new Shape(300, 16, 5, 0, true).message() + "\"}");
        assertEquals(new Shape(300, 16, 5, 0, true), shape);
        String text = shape.markdownText();
        assertEquals(300 * 16, text.length());
        StringBuilder joined = new StringBuilder();
        for (int i = 1; i <= shape.deltas(); i++) {
            String json = "\"" + new String(shape.content(i, text), StandardCharsets.UTF_8) + "\"";
            joined.append(new ObjectMapper().readValue(json, String.class));
        }
        assertEquals(text, joined.toString());
    }

    @Test
    void the_rig_shape_keeps_its_markers() {
        Shape shape = Shape.in("bench deltas=64 size=16 pace=20 first=0");
        assertEquals(Shape.ON_THE_BENCH, shape);
        assertEquals("#0007fghijklmnop", Shape.ascii(shape.content(7, null)));
    }
}
