package io.chipwatch.collector.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chipwatch.model.fault.FaultEvent;
import io.chipwatch.model.fault.FaultScope;
import io.chipwatch.model.fault.FaultType;

/**
 * The JSON form of a {@link FaultEvent}, as written to the {@code fault-truth} topic and by
 * {@code simulate --truth}: one object, keys in this order,
 * <pre>{"id":"f-0001","type":"overheat","target":"p00-r01-n02-c03","targetScope":"chip","onsetMillis":…,
 * "endMillis":…|null,"phase":"onset"|"end"}</pre>
 */
public final class FaultEventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FaultEventJson() {
    }

    /** One line of JSON, without the newline. */
    public static String toJson(FaultEvent e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", e.id());
        o.put("type", e.type().label());
        o.put("target", e.target());
        o.put("targetScope", e.targetScope().label());
        o.put("onsetMillis", e.onsetMillis());
        if (e.endMillis() == null) {
            o.putNull("endMillis");
        } else {
            o.put("endMillis", e.endMillis());
        }
        o.put("phase", e.phase().label());
        return o.toString();
    }

    /**
     * Parses {@link #toJson} output back.
     *
     * @throws IllegalArgumentException when the text is not such an event
     */
    public static FaultEvent parse(String json) {
        JsonNode o;
        try {
            o = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        try {
            JsonNode end = o.get("endMillis");
            return new FaultEvent(o.get("id").asText(), FaultType.fromLabel(o.get("type").asText()),
                    o.get("target").asText(), FaultScope.fromLabel(o.get("targetScope").asText()),
                    o.get("onsetMillis").asLong(), end == null || end.isNull() ? null : end.asLong(),
                    FaultEvent.Phase.fromLabel(o.get("phase").asText()));
        } catch (NullPointerException e) {
            throw new IllegalArgumentException("not a fault event (a key is missing): " + json, e);
        }
    }
}
