package org.chatrelay.persistence;

/** A rating of one answer: {@code up} or {@code down}, and the rater's comment (null when none). */
public record Feedback(String rating, String comment) {
    public static final String UP = "up";
    public static final String DOWN = "down";

    static Feedback of(int stored, String comment) {
        return new Feedback(stored > 0 ? UP : DOWN, comment);
    }

    int stored() {
        return rating.equals(UP) ? 1 : -1;
    }
}
