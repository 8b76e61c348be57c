package org.chatrelay.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** What one of the benchmark's runs measured; a scenario left out of the run is null. */
final class Run {
    final int number;
    Map<Target, Sequential.Figures> sequential;
    final Map<Target, Ramp.Step> paced = new LinkedHashMap<>();
    IdleStreams.Result idle;
    BrowserBench.Result browser;

    Run(int number) {
        this.number = number;
    }
}
