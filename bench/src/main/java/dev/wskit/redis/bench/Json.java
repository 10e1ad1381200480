package dev.wskit.redis.bench;

import java.util.Map;

/** Writes the results map as JSON (strings, numbers, booleans, nested maps). */
final class Json {

    private Json() {
    }

    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, "");
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sb.append(indent).append("  \"").append(escape(String.valueOf(e.getKey()))).append("\": ");
                write(sb, e.getValue(), indent + "  ");
                sb.append(++i < map.size() ? ",\n" : "\n");
            }
            sb.append(indent).append('}');
        } else if (value instanceof Number || value instanceof Boolean) {
            double d = value instanceof Number n ? n.doubleValue() : 0;
            sb.append(Double.isNaN(d) || Double.isInfinite(d) ? "null" : String.valueOf(value));
        } else {
            sb.append('"').append(escape(String.valueOf(value))).append('"');
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
