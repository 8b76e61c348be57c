package org.chatrelay.admin.report;

import java.time.LocalDate;
import java.time.ZoneOffset;

/** The dimensions of one usage_rollup row: a UTC day and one value of each report filter, plus the error code. */
public record RollupKey(LocalDate day, String model, String provider, String arm, String endReason, String errorCode) {

    public static RollupKey of(UsageFact f) {
        return new RollupKey(LocalDate.ofInstant(f.startedAt(), ZoneOffset.UTC), f.model(), f.provider(), f.arm(),
                f.endReason(), f.errorKey());
    }
}
