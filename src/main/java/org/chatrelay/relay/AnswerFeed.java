package org.chatrelay.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.chatrelay.persistence.Checkpoint;

/**
 * What the viewers of one chat answer read: its text and reasoning so far, and its terminal event once it ended. A
 * viewer (the chat POST, a resume, a second tab) keeps only its own position and asks {@link #next} for what follows
 * it whenever its socket is ready, so the answer holds no per-token objects and no per-viewer queue: a viewer that
 * falls behind gets what it missed as one larger event, and never holds up the answer or the other viewers.
 *
 * <p>Lock: this object guards the text, the viewers and the checkpoint marks. A viewer calls in with its own lock held
 * (viewer, then feed); nothing here calls a viewer or the owner while holding this lock.
 */
final class AnswerFeed {
    /** What a frame written for a viewer at some position leaves it at: the position after it, and whether it ends the stream. */
    record Frame(EventId after, boolean last) {
    }

    private final StringBuilder text = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    /** Usually one (the chat POST, or the resume that replaced it), sometimes a second tab. */
    private final List<FeedViewer> viewers = new ArrayList<>(2);
    /**
     * The same, copied when a viewer comes or goes: every piece wakes the viewers outside this lock, and reading this
     * takes neither the lock again nor a copy per piece.
     */
    private volatile FeedViewer[] waking = new FeedViewer[0];
    private final Runnable onDeserted;
    private final Runnable onCaughtUp;
    private byte[] terminal;
    private int checkpointedText;
    private int checkpointedReasoning;

    /**
     * @param onDeserted run when the last viewer leaves before the end
     * @param onCaughtUp run when a viewer has written everything there is (it may be a moment to read upstream again)
     */
    AnswerFeed(Runnable onDeserted, Runnable onCaughtUp) {
        this.onDeserted = onDeserted;
        this.onCaughtUp = onCaughtUp;
    }

    /** A feed no owner listens to (a resume served from the stored rows). */
    static AnswerFeed stored() {
        return new AnswerFeed(() -> {
        }, () -> {
        });
    }

    void appendText(String piece) {
        synchronized (this) {
            text.append(piece);
        }
        wake();
    }

    void appendReasoning(String piece) {
        synchronized (this) {
            reasoning.append(piece);
        }
        wake();
    }

    /**
     * Brings a feed read from the database up to a newer read of the same row. The stored text only grows while the
     * answer streams (checkpoints, then the final text, each a prefix of the next), so the new part is its tail.
     */
    void catchUp(String storedText, String storedReasoning) {
        boolean grew = false;
        synchronized (this) {
            if (storedReasoning.length() > reasoning.length()) {
                reasoning.append(storedReasoning, reasoning.length(), storedReasoning.length());
                grew = true;
            }
            if (storedText.length() > text.length()) {
                text.append(storedText, text.length(), storedText.length());
                grew = true;
            }
        }
        if (grew) {
            wake();
        }
    }

    /** The answer ended: each viewer gets the rest and then this frame (an id is added per viewer). Only the first end counts. */
    void end(byte[] terminalFrame) {
        synchronized (this) {
            if (terminal != null) {
                return;
            }
            terminal = terminalFrame;
        }
        wake();
    }

    synchronized boolean ended() {
        return terminal != null;
    }

    synchronized String text() {
        return text.toString();
    }

    synchronized String reasoning() {
        return reasoning.toString();
    }

    synchronized boolean textEmpty() {
        return text.isEmpty();
    }

    /** Nothing produced yet: neither text nor reasoning. */
    synchronized boolean empty() {
        return text.isEmpty() && reasoning.isEmpty();
    }

    /** Whether a client may have been sent {@code at}: nothing beyond what this answer produced so far. */
    synchronized boolean reached(EventId at) {
        return at.reasoning() <= reasoning.length() && at.text() <= text.length();
    }

    synchronized int viewers() {
        return viewers.size();
    }

    /**
     * Whether more may be read from upstream: with no viewer (a detached answer keeps generating for its grace), or
     * while at least one viewer is within {@code window} characters of the end. So the answer is paced by its fastest
     * viewer: a slow one falls behind, reading from the text the answer holds anyway, and never holds up the others;
     * only when every viewer stopped reading do upstream reads pause, as they did for the one browser before (and the
     * idle timeout then ends the answer as a client-side {@code client_stalled}).
     */
    synchronized boolean keepingUp(int window) {
        if (viewers.isEmpty()) {
            return true;
        }
        int produced = text.length() + reasoning.length();
        for (FeedViewer v : viewers) {
            if (produced - v.sent() <= window) {
                return true;
            }
        }
        return false;
    }

    /** Told by a viewer that has nothing left to write. */
    void caughtUp() {
        onCaughtUp.run();
    }

    synchronized void add(FeedViewer v) {
        viewers.add(v);
        waking = viewers.toArray(FeedViewer[]::new);
    }

    /** A viewer left (gone, or served to its end). */
    void remove(FeedViewer v) {
        boolean deserted;
        synchronized (this) {
            deserted = viewers.remove(v) && viewers.isEmpty() && terminal == null;
            waking = viewers.toArray(FeedViewer[]::new);
        }
        if (deserted) {
            onDeserted.run();
        }
    }

    /**
     * Writes the next frame for a viewer that has everything up to {@code at} into {@code into} (cleared first), with
     * its id; null when nothing is due yet. Reasoning first: a thinking model's reasoning comes before its answer, and a
     * viewer that missed both gets them in that order.
     */
    synchronized Frame next(EventId at, FrameBuffer into) {
        if (reasoning.length() > at.reasoning()) {
            EventId after = new EventId(reasoning.length(), at.text());
            SseFrames.reasoning(SseFrames.id(into.clear(), after), reasoning, at.reasoning(), reasoning.length());
            return new Frame(after, false);
        }
        if (text.length() > at.text()) {
            EventId after = new EventId(at.reasoning(), text.length());
            SseFrames.token(SseFrames.id(into.clear(), after), text, at.text(), text.length(), System.currentTimeMillis());
            return new Frame(after, false);
        }
        if (terminal != null) {
            EventId after = new EventId(reasoning.length(), text.length());
            SseFrames.id(into.clear(), after).put(terminal);
            return new Frame(after, true);
        }
        return null;
    }

    /** Heartbeats to the viewers that have been quiet for {@code every} (zero: to all). */
    void heartbeat(long now, Duration every) {
        for (FeedViewer v : waking) {
            v.heartbeat(now, every);
        }
    }

    /** The text to write if it grew since the last checkpoint written; null when nothing changed. */
    synchronized Checkpoint checkpointDue(String messageId) {
        if (text.length() == checkpointedText && reasoning.length() == checkpointedReasoning) {
            return null;
        }
        return new Checkpoint(messageId, text.toString(), reasoning.isEmpty() ? null : reasoning.toString());
    }

    /** {@code c} is in the database: the next checkpoint is due when the text grows beyond it. */
    synchronized void checkpointed(Checkpoint c) {
        checkpointedText = Math.max(checkpointedText, c.content().length());
        checkpointedReasoning = Math.max(checkpointedReasoning, c.reasoning() == null ? 0 : c.reasoning().length());
    }

    private void wake() {
        for (FeedViewer v : waking) {
            v.wake();
        }
    }
}
