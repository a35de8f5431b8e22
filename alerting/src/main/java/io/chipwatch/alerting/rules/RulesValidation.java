package io.chipwatch.alerting.rules;

import io.chipwatch.alerting.alert.Matcher;
import io.chipwatch.alerting.inhibit.InhibitRule;
import io.chipwatch.model.anomaly.AnomalyType;
import io.chipwatch.model.anomaly.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Checks one parsed rules file ({@link RulesFile}, as Jackson read it) field by field and builds its {@link RuleSet};
 * collects every problem, each naming its field path ({@code rules[2].annotations.summary: ...}), and throws them
 * together as one {@link RulesException}. One instance per file; used by {@link RulesLoader}.
 */
final class RulesValidation {
    private final String source;
    private final List<String> errors = new ArrayList<>();

    RulesValidation(String source) {
        this.source = source;
    }

    RuleSet validate(RulesFile file) {
        GlobalSettings global = global(file.global);
        RouteSettings route = route(file.route);
        Map<AnomalyType, AlertRule> rules = rules(file.rules);
        List<InhibitRule> inhibit = inhibitRules(file.inhibitRules);
        if (!errors.isEmpty()) {
            throw new RulesException(source, errors);
        }
        Map<String, Duration> waits = new LinkedHashMap<>();
        rules.values().stream().filter(r -> r.groupWait() != null)
                .forEach(r -> waits.put(r.alertname(), r.groupWait()));
        return new RuleSet(source, global, route.withGroupWaits(waits), rules, inhibit);
    }

    private GlobalSettings global(RulesFile.Global g) {
        RulesFile.Global in = g != null ? g : new RulesFile.Global();
        String grafana = url("global.grafana_url", in.grafanaUrl, "http://localhost:3000");
        String runbooks = in.runbookBaseUrl != null && in.runbookBaseUrl.trim().startsWith("/")
                ? servicePath("global.runbook_base_url", in.runbookBaseUrl.trim())
                : url("global.runbook_base_url", in.runbookBaseUrl, GlobalSettings.SERVED_RUNBOOKS);
        Duration padding = duration("global.drilldown_padding", in.drilldownPadding, Duration.ofMinutes(15));
        Duration retention = duration("global.resolved_retention", in.resolvedRetention, Duration.ofDays(7));
        int limit = 1000;
        if (in.historyLimit != null) {
            try {
                limit = Integer.parseInt(in.historyLimit.trim());
                if (limit < 1) {
                    errors.add("global.history_limit: " + limit + " must be at least 1");
                }
            } catch (NumberFormatException e) {
                errors.add("global.history_limit: \"" + in.historyLimit + "\" is not a whole number");
            }
        }
        return new GlobalSettings(grafana, runbooks, padding, retention, limit);
    }

    private RouteSettings route(RulesFile.Route r) {
        RulesFile.Route in = r != null ? r : new RulesFile.Route();
        List<String> groupBy = in.groupBy != null ? in.groupBy : List.of("alertname", "entity");
        for (int i = 0; i < groupBy.size(); i++) {
            String label = groupBy.get(i);
            if (label == null || !(label.equals("...") || Matcher.LABEL_NAME.matcher(label).matches())) {
                errors.add("route.group_by[" + i + "]: \"" + label + "\" is not a label name");
            }
        }
        Duration wait = duration("route.group_wait", in.groupWait, Duration.ofMillis(500));
        Duration interval = positive("route.group_interval",
                duration("route.group_interval", in.groupInterval, Duration.ofSeconds(10)));
        Duration repeat = positive("route.repeat_interval",
                duration("route.repeat_interval", in.repeatInterval, Duration.ofHours(4)));
        return new RouteSettings(groupBy, wait, interval, repeat);
    }

    private Map<AnomalyType, AlertRule> rules(List<RulesFile.Rule> list) {
        Map<AnomalyType, AlertRule> rules = new LinkedHashMap<>();
        if (list == null) {
            errors.add("rules: missing; list one rule per anomaly type");
            return rules;
        }
        Map<AnomalyType, String> firstAt = new LinkedHashMap<>();
        for (AlertRule rule : checkEach(list, "rules", (at, r) -> rule(at, r, firstAt))) {
            rules.put(rule.type(), rule);
        }
        return rules;
    }

    /** The rule {@code r}, or null when it has errors; {@code firstAt}: where each type seen so far is. */
    private AlertRule rule(String at, RulesFile.Rule r, Map<AnomalyType, String> firstAt) {
        int before = errors.size();
        AnomalyType type = null;
        if (r.type == null) {
            errors.add(at + ".type: missing; one of " + typeLabels());
        } else {
            Optional<AnomalyType> t = AnomalyType.fromLabel(r.type);
            if (t.isEmpty()) {
                errors.add(at + ".type: \"" + r.type + "\" is not an anomaly type; one of " + typeLabels());
            } else if (firstAt.containsKey(t.get())) {
                errors.add(at + ".type: a second rule for " + t.get().label() + " (the first is "
                        + firstAt.get(t.get()) + ")");
            } else {
                type = t.get();
                firstAt.put(type, at);
            }
        }
        if (r.alert == null || r.alert.isBlank()) {
            errors.add(at + ".alert: missing; the alert's name, e.g. ChipOverheating");
        } else if (!Matcher.LABEL_NAME.matcher(r.alert).matches()) {
            errors.add(at + ".alert: \"" + r.alert + "\" is not a valid alert name ([a-zA-Z_][a-zA-Z0-9_]*)");
        }
        Severity severity = null;
        if (r.severity != null) {
            severity = Severity.fromLabel(r.severity).orElse(null);
            if (severity == null) {
                errors.add(at + ".severity: \"" + r.severity + "\" is not one of "
                        + Arrays.stream(Severity.values()).map(Severity::label).collect(Collectors.joining(", ")));
            }
        }
        Duration forDuration = duration(at + ".for", r.forDuration, Duration.ZERO);
        Duration groupWait = r.groupWait == null ? null : duration(at + ".group_wait", r.groupWait, null);
        Map<String, String> labels = new LinkedHashMap<>();
        if (r.labels != null) {
            r.labels.forEach((k, v) -> {
                if (!Matcher.LABEL_NAME.matcher(k).matches()) {
                    errors.add(at + ".labels." + k + ": not a label name ([a-zA-Z_][a-zA-Z0-9_]*)");
                } else if (RulesLoader.RESERVED_LABELS.contains(k)) {
                    errors.add(at + ".labels." + k + ": set from the anomaly, a rule cannot set it");
                } else if (v == null || v.isEmpty()) {
                    errors.add(at + ".labels." + k + ": empty value");
                } else if (v.contains("{{")) {
                    errors.add(at + ".labels." + k + ": labels are fixed text (they identify the alert); "
                            + "put {{...}} placeholders in annotations");
                } else {
                    labels.put(k, v);
                }
            });
        }
        Map<String, Template> annotations = new LinkedHashMap<>();
        if (r.annotations != null) {
            r.annotations.forEach((k, v) -> {
                if (!Matcher.LABEL_NAME.matcher(k).matches()) {
                    errors.add(at + ".annotations." + k + ": not a valid annotation name");
                    return;
                }
                try {
                    annotations.put(k, Template.parse(v, AlertFactory.VARIABLES));
                } catch (IllegalArgumentException e) {
                    errors.add(at + ".annotations." + k + ": " + e.getMessage());
                }
            });
        }
        if (!annotations.containsKey("summary") && errors.size() == before) {
            errors.add(at + ".annotations.summary: missing; every alert needs a one-line summary");
        }
        return errors.size() == before && type != null
                ? new AlertRule(type, r.alert, severity, forDuration, groupWait, labels, annotations, true) : null;
    }

    private List<InhibitRule> inhibitRules(List<RulesFile.Inhibit> list) {
        return list == null ? new ArrayList<>()
                : checkEach(list, "inhibit_rules", this::inhibitRule);
    }

    /** The inhibit rule {@code r}, or null when it has errors. */
    private InhibitRule inhibitRule(String at, RulesFile.Inhibit r) {
        int before = errors.size();
        List<Matcher> source = matchers(at + ".source_matchers", r.sourceMatchers);
        List<Matcher> target = matchers(at + ".target_matchers", r.targetMatchers);
        List<String> equal = r.equal == null ? List.of() : r.equal;
        for (int j = 0; j < equal.size(); j++) {
            if (equal.get(j) == null || !Matcher.LABEL_NAME.matcher(equal.get(j)).matches()) {
                errors.add(at + ".equal[" + j + "]: \"" + equal.get(j) + "\" is not a label name");
            }
        }
        return errors.size() == before ? new InhibitRule(source, target, equal) : null;
    }

    /** The valid results of {@code check(field[i], element)} (null: errors); null elements are "empty rule". */
    private <T, R> List<R> checkEach(List<T> list, String field, BiFunction<String, T, R> check) {
        List<R> valid = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = field + "[" + i + "]";
            T element = list.get(i);
            if (element == null) {
                errors.add(at + ": empty rule");
                continue;
            }
            R result = check.apply(at, element);
            if (result != null) {
                valid.add(result);
            }
        }
        return valid;
    }

    private List<Matcher> matchers(String at, List<String> texts) {
        if (texts == null || texts.isEmpty()) {
            errors.add(at + ": missing; at least one matcher, e.g. alertname=\"NodeDown\"");
            return List.of();
        }
        List<Matcher> out = new ArrayList<>();
        for (int j = 0; j < texts.size(); j++) {
            try {
                out.add(Matcher.parse(texts.get(j)));
            } catch (IllegalArgumentException e) {
                errors.add(at + "[" + j + "]: " + e.getMessage());
            }
        }
        return out;
    }

    private Duration duration(String at, String text, Duration fallback) {
        if (text == null) {
            return fallback;
        }
        Optional<Duration> d = Durations.parse(text);
        if (d.isEmpty()) {
            errors.add(at + ": \"" + text + "\" is not a duration (" + Durations.EXAMPLE + ")");
            return fallback;
        }
        return d.get();
    }

    private Duration positive(String at, Duration d) {
        if (d.isZero()) {
            errors.add(at + ": must be more than 0");
            return Duration.ofSeconds(1);
        }
        return d;
    }

    private String url(String at, String text, String fallback) {
        if (text == null) {
            return fallback;
        }
        String t = text.trim();
        if (!(t.startsWith("http://") || t.startsWith("https://"))) {
            errors.add(at + ": \"" + text + "\" is not an http(s) URL");
            return fallback;
        }
        return t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
    }

    /** A path on the alerting service ({@code /runbooks}), without a trailing slash. */
    private String servicePath(String at, String path) {
        if (!path.matches("(/[A-Za-z0-9._~-]+)+/?")) {
            errors.add(at + ": \"" + path + "\" is neither an http(s) URL nor a path on the alerting service "
                    + "(e.g. " + GlobalSettings.SERVED_RUNBOOKS + ")");
            return GlobalSettings.SERVED_RUNBOOKS;
        }
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String typeLabels() {
        return Arrays.stream(AnomalyType.values()).map(AnomalyType::label).collect(Collectors.joining(", "));
    }
}
