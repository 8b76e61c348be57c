package org.chatrelay.gateway.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseIdTest {
    static final String ID = "0f8e2c1a-9b7d-4e3f-a1b2-c3d4e5f60718";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "none", textBlock = """
            the header's value                        | 0f8e2c1a-9b7d-4e3f-a1b2-c3d4e5f60718          | 0f8e2c1a-9b7d-4e3f-a1b2-c3d4e5f60718
            OpenAI's id                               | chatcmpl-0f8e2c1a-9b7d-4e3f-a1b2-c3d4e5f60718 | 0f8e2c1a-9b7d-4e3f-a1b2-c3d4e5f60718
            Anthropic's id                            | msg_0f8e2c1a9b7d4e3fa1b2c3d4e5f60718          | 0f8e2c1a-9b7d-4e3f-a1b2-c3d4e5f60718
            upper case and spaces around              | ' MSG_0F8E2C1A9B7D4E3FA1B2C3D4E5F60718 '      | 0f8e2c1a-9b7d-4e3f-a1b2-c3d4e5f60718
            a provider's own OpenAI id                | chatcmpl-fake                                 | none
            a provider's own Anthropic id             | msg_01XFDUDYJgAACzvnptvVoYEL                  | none
            Anthropic's prefix on a dashed id         | msg_0f8e2c1a-9b7d-4e3f-a1b2-c3d4e5f60718      | none
            a short UUID that UUID.fromString accepts | 1-1-1-1-1                                     | none
            """)
    void reads_the_three_forms_and_nothing_else(String what, String presented, String messageId) {
        assertEquals(Optional.ofNullable(messageId), ResponseId.messageId(presented), what);
    }

    @org.junit.jupiter.api.Test
    void the_dialects_ids_read_back_to_the_message_id() {
        assertEquals(Optional.of(ID), ResponseId.messageId(ResponseId.openAi(ID)));
        assertEquals(Optional.of(ID), ResponseId.messageId(ResponseId.anthropic(ID)));
    }
}
