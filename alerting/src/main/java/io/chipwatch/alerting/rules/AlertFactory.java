package io.chipwatch.alerting.rules;

import io.chipwatch.model.anomaly.Anomaly;
import io.chipwatch.model.anomaly.Fact;
import io.chipwatch.model.anomaly.Severity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns an anomaly into an alert's labels and annotations by its type's {@link AlertRule}.
 *
 * <p>Labels (the alert's identity, hence its fingerprint): {@code alertname}, {@code severity}, {@code type},
 * {@code scope}, {@code entity}, the anomaly's hierarchy tags ({@link Anomaly#HIERARCHY_KEYS}), the rule's labels.
 * The anomaly id is not a label: a problem that reopens is the same alert.
 *
 * <p>Annotation placeholders ({@link #VARIABLES}): {@code alertname type severity scope entity detail value
 * threshold start end from to grafana_url runbook_base_url drilldown_vars affected affected_count anomaly_id}, each
 * hierarchy key ({@code pod rack node chip link peer job}) and each {@link Fact} key ({@code temp_c},
 * {@code util_pct}, {@code latency_us}...: the anomaly's evidence, a number in the fact's unit, which the template
 * writes after it). A placeholder the anomaly has no value for (no such tag, no such fact, a NaN threshold, no
 * detail) has none here, and {@link Template} leaves it out, with its optional section.
 * {@code from}/{@code to} are epoch ms around the problem (padded by {@code global.drilldown_padding}; {@code to}
 * is {@code now} while it lasts), {@code drilldown_vars} is {@code var-pod=..&var-rack=..&var-node=..&var-chip=..}
 * for the tags that apply (URL-encoded).
 */
public final class AlertFactory {

    /** Names usable as {@code {{name}}} in annotations. */
    public static final Set<String> VARIABLES;

    static {
        Set<String> v = new TreeSet<>(List.of("alertname", "type", "severity", "scope", "entity", "detail", "value",
                "threshold", "start", "end", "from", "to", "grafana_url", "runbook_base_url", "drilldown_vars",
                "affected", "affected_count", "anomaly_id"));
        v.addAll(Anomaly.HIERARCHY_KEYS);
        for (Fact fact : Fact.values()) {
            v.add(fact.key());
        }
        VARIABLES = Set.copyOf(v);
    }

    private static final int AFFECTED_SHOWN = 20;

    private final RuleSet rules;

    public AlertFactory(RuleSet rules) {
        this.rules = rules;
    }

    public RuleSet rules() {
        return rules;
    }

    public AlertRule rule(Anomaly anomaly) {
        return rules.rule(anomaly.type());
    }

    /** The severity of the alert: the rule's, else the anomaly's. */
    public Severity severity(Anomaly anomaly) {
        Severity s = rule(anomaly).severity();
        return s != null ? s : anomaly.severity();
    }

    /** The alert's labels, sorted. */
    public SortedMap<String, String> labels(Anomaly anomaly) {
        AlertRule rule = rule(anomaly);
        SortedMap<String, String> labels = new TreeMap<>(rule.labels());
        for (String key : Anomaly.HIERARCHY_KEYS) {
            String value = anomaly.tags().get(key);
            if (value != null) {
                labels.put(key, value);
            }
        }
        labels.put("alertname", rule.alertname());
        labels.put("severity", severity(anomaly).label());
        labels.put("type", anomaly.type().label());
        labels.put("scope", anomaly.scope().label());
        labels.put("entity", anomaly.entity());
        return labels;
    }

    /**
     * The annotations for an anomaly event, plus {@code anomaly_id}.
     *
     * @param endMillis the problem's end, or null while it lasts (dashboard links then end at "now")
     */
    public SortedMap<String, String> annotations(Anomaly anomaly, Long endMillis) {
        AlertRule rule = rule(anomaly);
        Map<String, String> vars = variables(anomaly, endMillis);
        SortedMap<String, String> out = new TreeMap<>();
        rule.annotations().forEach((name, template) -> out.put(name, template.render(vars)));
        out.put("anomaly_id", anomaly.id());
        return out;
    }

    Map<String, String> variables(Anomaly a, Long endMillis) {
        GlobalSettings g = rules.global();
        long pad = g.drilldownPadding().toMillis();
        Map<String, String> v = new LinkedHashMap<>();
        v.put("alertname", rule(a).alertname());
        v.put("type", a.type().label());
        v.put("severity", severity(a).label());
        v.put("scope", a.scope().label());
        v.put("entity", a.entity());
        put(v, "detail", a.detail());
        put(v, "value", number(a.value()));
        put(v, "threshold", number(a.threshold()));
        v.put("start", Instant.ofEpochMilli(a.startMillis()).toString());
        v.put("end", endMillis == null ? "" : Instant.ofEpochMilli(endMillis).toString());
        v.put("from", Long.toString(a.startMillis() - pad));
        v.put("to", endMillis == null ? "now" : Long.toString(endMillis + pad));
        v.put("grafana_url", g.grafanaUrl());
        v.put("runbook_base_url", g.runbookBaseUrl());
        v.put("anomaly_id", a.id());
        v.put("affected_count", Integer.toString(a.affected().size()));
        List<String> affected = a.affected();
        String shown = affected.stream().limit(AFFECTED_SHOWN).collect(Collectors.joining(", "));
        put(v, "affected", affected.size() > AFFECTED_SHOWN
                ? shown + " and " + (affected.size() - AFFECTED_SHOWN) + " more" : shown);
        StringBuilder drill = new StringBuilder();
        for (String key : Anomaly.HIERARCHY_KEYS) {
            String value = a.tags().get(key);
            if (value == null && key.equals(a.scope().label())) {
                value = a.entity();
            }
            if (value != null && !key.equals("peer")) {
                if (drill.length() > 0) {
                    drill.append('&');
                }
                drill.append("var-").append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
            put(v, key, a.tags().getOrDefault(key, key.equals(a.scope().label()) ? a.entity() : null));
        }
        v.put("drilldown_vars", drill.toString());
        a.facts().forEach((key, value) -> put(v, key, Fact.fromKey(key).map(f -> FactFormat.format(f, value))
                .orElse(null)));
        return v;
    }

    /** Puts a variable that has a value; a null or empty one stays absent (left out of the text). */
    private static void put(Map<String, String> v, String name, String value) {
        if (value != null && !value.isEmpty()) {
            v.put(name, value);
        }
    }

    /** A number for people: integers without decimals, others with up to 2; NaN (no value) as null. */
    static String number(double x) {
        if (Double.isNaN(x)) {
            return null;
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return Long.toString((long) x);
        }
        return BigDecimal.valueOf(x).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
