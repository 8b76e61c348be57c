package org.chatrelay.admin.report;

import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The dimensions of one usage_rollup row: a UTC day and one value of each report filter, plus the error code.
 *
 * @param keyId the gateway key of a gateway call, "" for the chat page
 */
public record RollupKey(LocalDate day, String model, String provider, String arm, String endReason, String errorCode, String keyId) {
    /** The visitor id of a gateway call's rows: {@code gateway:} and its key id (RelayService.startCall). */
    static final String GATEWAY_VISITOR = "gateway:";

    public RollupKey(LocalDate day, String model, String provider, String arm, String endReason, String errorCode) {
        this(day, model, provider, arm, endReason, errorCode, "");
    }

    public static RollupKey of(UsageFact f) {
        String visitor = f.visitorId();
        String key = visitor != null && visitor.startsWith(GATEWAY_VISITOR) ? visitor.substring(GATEWAY_VISITOR.length()) : "";
        return new RollupKey(LocalDate.ofInstant(f.startedAt(), ZoneOffset.UTC), f.model(), f.provider(), f.arm(),
                f.endReason(), f.errorKey(), key);
    }

    /** The report's source: the chat page or the gateway. */
    public String source() {
        return keyId.isEmpty() ? ReportFilter.SOURCE_CHAT : ReportFilter.SOURCE_GATEWAY;
    }
}
