package io.chipwatch.alerting.rules;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * The rules file as written (YAML), before validation: every value a string so that a bad one can be reported
 * with its path. {@link RulesLoader} turns it into a {@link RuleSet}. Unknown keys are errors.
 */
public final class RulesFile {
    @JsonProperty("global")
    public Global global;
    @JsonProperty("route")
    public Route route;
    @JsonProperty("rules")
    public List<Rule> rules;
    @JsonProperty("inhibit_rules")
    public List<Inhibit> inhibitRules;

    /** Settings used in templates and for housekeeping. */
    public static final class Global {
        @JsonProperty("grafana_url")
        public String grafanaUrl;
        @JsonProperty("runbook_base_url")
        public String runbookBaseUrl;
        @JsonProperty("drilldown_padding")
        public String drilldownPadding;
        @JsonProperty("resolved_retention")
        public String resolvedRetention;
        @JsonProperty("history_limit")
        public String historyLimit;
    }

    /** How alerts are grouped into notifications and how often they are sent. */
    public static final class Route {
        @JsonProperty("group_by")
        public List<String> groupBy;
        @JsonProperty("group_wait")
        public String groupWait;
        @JsonProperty("group_interval")
        public String groupInterval;
        @JsonProperty("repeat_interval")
        public String repeatInterval;
    }

    /** One anomaly type's alert. */
    public static final class Rule {
        @JsonProperty("type")
        public String type;
        @JsonProperty("alert")
        public String alert;
        @JsonProperty("severity")
        public String severity;
        @JsonProperty("for")
        public String forDuration;
        @JsonProperty("group_wait")
        public String groupWait;
        @JsonProperty("labels")
        public Map<String, String> labels;
        @JsonProperty("annotations")
        public Map<String, String> annotations;
    }

    /** Alerts matching {@code source_matchers} mute those matching {@code target_matchers} with equal labels. */
    public static final class Inhibit {
        @JsonProperty("source_matchers")
        public List<String> sourceMatchers;
        @JsonProperty("target_matchers")
        public List<String> targetMatchers;
        @JsonProperty("equal")
        public List<String> equal;
    }
}
