package org.chatrelay.admin.chart;

import java.util.List;

/**
 * A chart as the SVG template draws it: every coordinate already computed in the plot's own units
 * ({@link #WIDTH} x {@link #HEIGHT} viewBox), every text escaped by Thymeleaf. Colours come from admin.css classes,
 * so one drawing reads in light and dark mode and no inline style is needed (CSP style-src 'self').
 */
public record Chart(String id, String title, String summary, List<Bar> bars, String line, List<Dot> dots,
                    List<Tick> xTicks, List<Tick> yTicks, String xLabel, String yLabel) {
    public static final int WIDTH = 640;
    public static final int HEIGHT = 260;
    public static final int LEFT = 72;
    public static final int RIGHT = 16;
    public static final int TOP = 14;
    public static final int BOTTOM = 48;

    /** A bar with its hover text (an SVG title). */
    public record Bar(double x, double y, double width, double height, String label) {
        public Bar {
            x = r(x);
            y = r(y);
            width = r(width);
            height = r(height);
        }
    }

    public record Dot(double x, double y, String label) {
        public Dot {
            x = r(x);
            y = r(y);
        }
    }

    /** An axis tick: its position along the axis and its text. */
    public record Tick(double at, String text) {
        public Tick {
            at = r(at);
        }
    }

    /** Tenths of a unit are finer than a screen pixel and keep the page small. */
    static double r(double v) {
        return Math.round(v * 10) / 10.0;
    }

    public boolean empty() {
        return bars.isEmpty() && dots.isEmpty();
    }

    public int width() {
        return WIDTH;
    }

    public int height() {
        return HEIGHT;
    }

    public double plotLeft() {
        return LEFT;
    }

    public double plotRight() {
        return WIDTH - RIGHT;
    }

    public double plotTop() {
        return TOP;
    }

    public double plotBottom() {
        return HEIGHT - BOTTOM;
    }

    public String viewBox() {
        return "0 0 " + WIDTH + " " + HEIGHT;
    }
}
