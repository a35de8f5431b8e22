package io.chipwatch.alerting.rules;

import java.time.Duration;

/**
 * The {@code global:} settings of the rules file.
 *
 * @param grafanaUrl        base of the dashboard links ({@code {{grafana_url}}})
 * @param runbookBaseUrl    base of the runbook links ({@code {{runbook_base_url}}}): an http(s) URL, or a path on
 *                          the alerting service (starting with {@code /}; {@link #SERVED_RUNBOOKS} by default) that
 *                          the service turns into a URL with {@link #withRunbooksServedAt}
 * @param drilldownPadding  time shown before the start and after the end of a problem in dashboard links
 * @param resolvedRetention how long resolved alerts stay in the history
 * @param historyLimit      at most this many resolved alerts in the history
 */
public record GlobalSettings(String grafanaUrl, String runbookBaseUrl, Duration drilldownPadding,
                             Duration resolvedRetention, int historyLimit) {

    /**
     * Where the alerting service serves the repository's {@code docs/runbooks} (its API's {@code /runbooks/}):
     * the default of {@code runbook_base_url}, so every runbook link opens the runbook of the version that runs.
     */
    public static final String SERVED_RUNBOOKS = "/runbooks";

    /**
     * These settings with a runbook base that is a path on the alerting service (starting with {@code /}) made
     * absolute against the service's external URL; an http(s) base is kept as it is.
     */
    public GlobalSettings withRunbooksServedAt(String serviceUrl) {
        if (!runbookBaseUrl.startsWith("/")) {
            return this;
        }
        return new GlobalSettings(grafanaUrl, serviceUrl.replaceAll("/+$", "") + runbookBaseUrl, drilldownPadding,
                resolvedRetention, historyLimit);
    }
}
