package org.chatrelay.relay;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.chatrelay.http.ApiException;
import org.chatrelay.persistence.PersistenceException;
import org.chatrelay.persistence.StoredAnswer;

/**
 * {@code GET /api/messages/{id}/events} (docs/api.md, "Resuming an answer"): what the visitor's client missed of an
 * answer after the position it sends back, then the rest live, then the terminal event. Served from the live answer
 * when this node produces it, otherwise from the answer's stored rows ({@link StoredAnswers}).
 */
public final class Resumes implements AutoCloseable {
    /**
     * Readers of one answer on this node: the chat POST, a resume after a reload, a second tab or two. Each costs a
     * socket write per token under the answer's lock (or, for an answer of another node, a read of its row every
     * interval on the node's one poll thread), so one visitor cannot open hundreds on its own answer.
     */
    static final int MAX_VIEWERS = 4;
    private final StreamRegistry registry;
    private final StoredAnswers stored;
    private final Duration timeout;
    private final Checkpoints checkpoints;

    /** @param checkpoints closed with this (null: none are written) */
    Resumes(StreamRegistry registry, StoredAnswers stored, Duration maxAnswer, Checkpoints checkpoints) {
        this.registry = registry;
        this.stored = stored;
        this.checkpoints = checkpoints;
        // A safety net as on the chat POST: a viewer of the longest answer is served to its end first.
        this.timeout = maxAnswer.plusSeconds(30);
    }

    /**
     * Starts the resume, or refuses it before anything is committed.
     *
     * @param position the client's {@code Last-Event-ID} or {@code ?after=} (null: from the beginning)
     * @throws ApiException 404 for another visitor's or an unknown answer, 400 for a malformed or impossible position,
     *                      429 when the answer has {@link #MAX_VIEWERS} readers on this node, 503 when its row cannot be read
     */
    public void resume(HttpServletRequest request, String messageId, String visitorId, String position) throws ApiException, IOException {
        EventId from = EventId.parse(position);
        Optional<RelayStream> live = registry.find(messageId, visitorId).filter(RelayStream::resumable);
        if (live.isPresent()) {
            AnswerFeed feed = live.get().feed();
            if (!feed.reached(from)) {
                throw beyond(from);
            }
            if (feed.viewers() >= MAX_VIEWERS) {
                throw tooMany();
            }
            // Joins even if the answer ended a moment ago: its feed gets the terminal event once it is stored.
            live.get().attach(open(request, feed, from));
            return;
        }
        StoredAnswer a;
        try {
            a = stored.read(messageId, visitorId).orElseThrow(() -> new ApiException(404, "not_found", "Message not found."));
        } catch (PersistenceException e) {
            throw new ApiException(503, "storage_unavailable", "The chat history store is unavailable. Please try again.");
        }
        if (!a.streaming() && (from.reasoning() > a.reasoning().length() || from.text() > a.content().length())) {
            throw beyond(from);
        }
        if (!stored.take(messageId)) {
            throw tooMany();
        }
        AnswerFeed feed = AnswerFeed.stored();
        try {
            open(request, feed, from).begin();
        } catch (IOException | RuntimeException e) {
            stored.release(messageId);
            throw e;
        }
        stored.follow(feed, a, visitorId);
    }

    private static ApiException tooMany() {
        return new ApiException(429, "too_many_viewers", "This answer is already open in " + MAX_VIEWERS
                + " places. Close one and try again.");
    }

    private FeedViewer open(HttpServletRequest request, AnswerFeed feed, EventId from) throws IOException {
        AsyncContext async = request.startAsync();
        async.setTimeout(timeout.toMillis());
        Delivery.eventStream((HttpServletResponse) async.getResponse());
        return FeedViewer.resume(feed, async, from);
    }

    static ApiException beyond(EventId from) {
        return new ApiException(400, "invalid_request", "The resume position " + from + " is beyond what this answer produced.");
    }

    @Override
    public void close() {
        if (checkpoints != null) {
            checkpoints.close();
        }
        stored.close();
    }
}
