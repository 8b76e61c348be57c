package org.chatrelay.relay;

import java.util.List;
import org.chatrelay.persistence.TurnIds;
import org.chatrelay.upstream.ChatMessage;
import org.chatrelay.upstream.UpstreamTarget;

/** One request for an answer: its stored ids, who asked, where it goes and what is sent. */
record Turn(TurnIds ids, String visitorId, UpstreamTarget target, List<ChatMessage> prompt, String requestId) {
}
