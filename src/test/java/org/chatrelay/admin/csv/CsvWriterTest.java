package org.chatrelay.admin.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class CsvWriterTest {
    @Test
    void cells_are_quoted_per_rfc_4180_and_formulas_are_defused() throws Exception {
        StringWriter out = new StringWriter();
        new CsvWriter(out).row("plain", "a,b", "say \"hi\"", "two\nlines", "=HYPERLINK(\"x\")", "@SUM(A1)", -3, null, 1.5);
        assertEquals("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"'=HYPERLINK(\"\"x\"\")\",'@SUM(A1),-3,,1.5\r\n", out.toString());
    }
}
