package io.chipwatch.alerting.rules;

import io.chipwatch.alerting.inhibit.InhibitRule;
import io.chipwatch.model.anomaly.AnomalyType;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A validated rules file: one {@link AlertRule} per anomaly type, the route, the inhibition rules. */
public final class RuleSet {
    private final GlobalSettings global;
    private final RouteSettings route;
    private final Map<AnomalyType, AlertRule> rules;
    private final List<InhibitRule> inhibitRules;
    private final String source;

    RuleSet(String source, GlobalSettings global, RouteSettings route, Map<AnomalyType, AlertRule> configured,
            List<InhibitRule> inhibitRules) {
        this.source = source;
        this.global = global;
        this.route = route;
        EnumMap<AnomalyType, AlertRule> all = new EnumMap<>(AnomalyType.class);
        all.putAll(configured);
        for (AnomalyType type : AnomalyType.values()) {
            all.computeIfAbsent(type, RuleSet::defaultRule);
        }
        this.rules = Collections.unmodifiableMap(all);
        this.inhibitRules = List.copyOf(inhibitRules);
    }

    /** The rule of a type: the configured one, else a built-in default (alert name from the type). */
    public AlertRule rule(AnomalyType type) {
        return rules.get(type);
    }

    public Map<AnomalyType, AlertRule> rules() {
        return rules;
    }

    public GlobalSettings global() {
        return global;
    }

    public RouteSettings route() {
        return route;
    }

    public List<InhibitRule> inhibitRules() {
        return inhibitRules;
    }

    /** Where the rules came from (file path or "built-in defaults"). */
    public String source() {
        return source;
    }

    /** Types the file does not configure (they get {@link #defaultRule}). */
    public List<AnomalyType> unconfiguredTypes() {
        return rules.values().stream().filter(r -> !r.configured()).map(AlertRule::type).toList();
    }

    /** Same settings, another route: for tests and command-line overrides. */
    public RuleSet withRoute(RouteSettings route) {
        return new RuleSet(source, global, route, configuredRules(), inhibitRules);
    }

    /** Same rules, other global settings (e.g. another Grafana URL from the command line). */
    public RuleSet withGlobal(GlobalSettings global) {
        return new RuleSet(source, global, route, configuredRules(), inhibitRules);
    }

    private Map<AnomalyType, AlertRule> configuredRules() {
        return rules.values().stream().filter(AlertRule::configured)
                .collect(Collectors.toMap(AlertRule::type, r -> r, (a, b) -> a, LinkedHashMap::new));
    }

    /** The alert of a type no rule mentions: name from the type (chip_down: ChipDown), the anomaly's severity. */
    static AlertRule defaultRule(AnomalyType type) {
        String name = Arrays.stream(type.label().split("_"))
                .map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1)).collect(Collectors.joining());
        Map<String, Template> annotations = new LinkedHashMap<>();
        annotations.put("summary", Template.parse("{{type}} on {{entity}}", AlertFactory.VARIABLES));
        annotations.put("description", Template.parse("{{detail}}[[ (value {{value}}, threshold {{threshold}})]]",
                AlertFactory.VARIABLES));
        annotations.put("dashboard", Template.parse(
                "{{grafana_url}}/d/chipwatch-drilldown?{{drilldown_vars}}&from={{from}}&to={{to}}",
                AlertFactory.VARIABLES));
        return new AlertRule(type, name, null, Duration.ZERO, null, Map.of(), annotations, false);
    }
}
