package org.chatrelay.upstream.sse;

/**
 * Stage 2: one line to a blank line, a comment or a field (WHATWG "Interpreting an event stream"). Works on bytes:
 * ':' and ' ' are ASCII and never part of a multi-byte sequence, and comparing names as bytes equals comparing
 * the decoded strings, since malformed bytes decode to U+FFFD, which no known name contains.
 */
final class FieldParser {

    enum Field { DATA, EVENT, ID, RETRY }

    interface FieldSink {
        void blankLine();

        void comment(byte[] bytes, int offset, int length);

        void field(Field name, byte[] bytes, int offset, int length);
    }

    private static final byte COLON = ':';
    private static final byte SPACE = ' ';

    private FieldParser() {
    }

    static void parse(byte[] bytes, int offset, int length, FieldSink sink) {
        // "If the line is empty (a blank line): Dispatch the event."
        if (length == 0) {
            sink.blankLine();
            return;
        }
        // "If the line starts with a U+003A COLON character (:): Ignore the line." Passed on only as a liveness signal.
        if (bytes[offset] == COLON) {
            sink.comment(bytes, offset + 1, length - 1);
            return;
        }
        int end = offset + length;
        int colon = offset;
        while (colon < end && bytes[colon] != COLON) {
            colon++;
        }
        // "If the line contains a U+003A COLON character: collect the characters on the line before the first colon,
        // and let field be that string; collect the characters after it, and let value be that string. If value starts
        // with a U+0020 SPACE character, remove it from value." Otherwise "the whole line as the field name, and the
        // empty string as the field value" - which is what colon == end yields here.
        int value = colon < end ? colon + 1 : end;
        if (value < end && bytes[value] == SPACE) {
            value++;
        }
        Field name = fieldName(bytes, offset, colon - offset);
        // Any other name: "The field is ignored." Never fatal.
        if (name != null) {
            sink.field(name, bytes, value, end - value);
        }
    }

    // Names are case-sensitive: "Data" and "DATA" are unknown fields.
    private static Field fieldName(byte[] b, int at, int length) {
        switch (length) {
            case 2:
                return b[at] == 'i' && b[at + 1] == 'd' ? Field.ID : null;
            case 4:
                return b[at] == 'd' && b[at + 1] == 'a' && b[at + 2] == 't' && b[at + 3] == 'a' ? Field.DATA : null;
            case 5:
                if (b[at] == 'e' && b[at + 1] == 'v' && b[at + 2] == 'e' && b[at + 3] == 'n' && b[at + 4] == 't') {
                    return Field.EVENT;
                }
                return b[at] == 'r' && b[at + 1] == 'e' && b[at + 2] == 't' && b[at + 3] == 'r' && b[at + 4] == 'y'
                        ? Field.RETRY : null;
            default:
                return null;
        }
    }
}
