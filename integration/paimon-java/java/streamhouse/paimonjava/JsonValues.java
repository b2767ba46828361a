package streamhouse.paimonjava;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.Decimal;
import org.apache.paimon.data.GenericArray;
import org.apache.paimon.data.GenericMap;
import org.apache.paimon.data.GenericRow;
import org.apache.paimon.data.InternalArray;
import org.apache.paimon.data.InternalMap;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.data.Timestamp;
import org.apache.paimon.data.variant.Variant;
import org.apache.paimon.shade.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.paimon.shade.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.paimon.shade.jackson2.com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.paimon.shade.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.paimon.types.ArrayType;
import org.apache.paimon.types.DataField;
import org.apache.paimon.types.DataType;
import org.apache.paimon.types.DataTypeChecks;
import org.apache.paimon.types.MapType;
import org.apache.paimon.types.MultisetType;
import org.apache.paimon.types.RowKind;
import org.apache.paimon.types.RowType;
import org.apache.paimon.types.VectorType;

/**
 * Converts between Streamhouse's JSON value conventions (DESIGN.md, "CLI contract";
 * packages/format/src/types/value-json.ts) and Paimon's internal data structures.
 *
 * <p>BIGINT is a JSON number when |v| <= 2^53, else a string of digits; DECIMAL a string;
 * DATE "YYYY-MM-DD"; TIME "HH:MM:SS[.fff]"; TIMESTAMP and TIMESTAMP_LTZ an ISO-8601
 * wall clock in UTC with as many fraction digits as the precision; BINARY/VARBINARY
 * base64; ROW an object keyed by field name; ARRAY an array; MAP an array of [k, v]
 * pairs; MULTISET an array of [element, count]; NaN and infinities as strings.
 */
final class JsonValues {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final long TWO_53 = 1L << 53;

    private JsonValues() {}

    // ---------------------------------------------------------------- JSON -> Paimon

    /** A row of `type` from a JSON object keyed by field name; `_row_kind` sets the kind. */
    static GenericRow rowFromJson(RowType type, JsonNode json, RowKind kind, String path) {
        if (!json.isObject()) throw new IllegalArgumentException(path + " must be a JSON object");
        List<DataField> fields = type.getFields();
        GenericRow row = new GenericRow(kind, fields.size());
        Iterator<String> names = json.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (name.equals("_row_kind")) continue;
            if (type.getFieldIndex(name) < 0) {
                throw new IllegalArgumentException(path + " has field '" + name + "' which is not in " + type.getFieldNames());
            }
        }
        for (int i = 0; i < fields.size(); i++) {
            DataField f = fields.get(i);
            row.setField(i, fromJson(f.type(), json.get(f.name()), path + "." + f.name()));
        }
        return row;
    }

    static RowKind rowKind(JsonNode row, RowKind fallback) {
        JsonNode k = row.get("_row_kind");
        if (k == null || k.isNull()) return fallback;
        return RowKind.fromShortString(k.asText());
    }

    static Object fromJson(DataType type, JsonNode json, String path) {
        if (json == null || json.isNull()) {
            if (!type.isNullable()) throw new IllegalArgumentException(path + " is null but the type is " + type);
            return null;
        }
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return json.asBoolean();
            case TINYINT:
                return (byte) intOf(json, path);
            case SMALLINT:
                return (short) intOf(json, path);
            case INTEGER:
                return (int) intOf(json, path);
            case BIGINT:
                return intOf(json, path);
            case FLOAT:
                return json.isTextual() ? Float.parseFloat(json.asText()) : (float) json.asDouble();
            case DOUBLE:
                return json.isTextual() ? Double.parseDouble(json.asText()) : json.asDouble();
            case DECIMAL: {
                int precision = DataTypeChecks.getPrecision(type);
                int scale = DataTypeChecks.getScale(type);
                BigDecimal v = new BigDecimal(json.asText()).setScale(scale, RoundingMode.HALF_UP);
                Decimal d = Decimal.fromBigDecimal(v, precision, scale);
                if (d == null) throw new IllegalArgumentException(path + " = " + v + " does not fit " + type);
                return d;
            }
            case CHAR:
            case VARCHAR:
                return BinaryString.fromString(json.asText());
            case BINARY:
            case VARBINARY:
                return Base64.getDecoder().decode(json.asText());
            case DATE:
                return (int) LocalDate.parse(json.asText().trim()).toEpochDay();
            case TIME_WITHOUT_TIME_ZONE:
                return (int) (LocalTime.parse(json.asText().trim()).toNanoOfDay() / 1_000_000L);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                if (json.isNumber()) return Timestamp.fromEpochMillis(json.asLong());
                return Timestamp.fromLocalDateTime(parseUtcWallClock(json.asText()));
            case ARRAY:
            case VECTOR: {
                DataType element = type instanceof ArrayType ? ((ArrayType) type).getElementType() : ((VectorType) type).getElementType();
                Object[] values = new Object[json.size()];
                for (int i = 0; i < values.length; i++) values[i] = fromJson(element, json.get(i), path + "[" + i + "]");
                return new GenericArray(values);
            }
            case MAP:
            case MULTISET: {
                DataType keyType = type instanceof MapType ? ((MapType) type).getKeyType() : ((MultisetType) type).getElementType();
                DataType valueType = type instanceof MapType ? ((MapType) type).getValueType() : new org.apache.paimon.types.IntType(false);
                Map<Object, Object> map = new LinkedHashMap<>();
                if (json.isObject()) {
                    Iterator<Map.Entry<String, JsonNode>> it = json.fields();
                    while (it.hasNext()) {
                        Map.Entry<String, JsonNode> e = it.next();
                        map.put(fromJson(keyType, NODES.textNode(e.getKey()), path + ".key"), fromJson(valueType, e.getValue(), path + "." + e.getKey()));
                    }
                } else {
                    for (int i = 0; i < json.size(); i++) {
                        JsonNode pair = json.get(i);
                        if (!pair.isArray() || pair.size() != 2) throw new IllegalArgumentException(path + "[" + i + "] must be a [key, value] pair");
                        map.put(fromJson(keyType, pair.get(0), path + "[" + i + "][0]"), fromJson(valueType, pair.get(1), path + "[" + i + "][1]"));
                    }
                }
                return new GenericMap(map);
            }
            case ROW: {
                RowType rowType = (RowType) type;
                if (json.isArray()) {
                    GenericRow row = new GenericRow(rowType.getFieldCount());
                    for (int i = 0; i < rowType.getFieldCount(); i++) {
                        row.setField(i, fromJson(rowType.getTypeAt(i), json.get(i), path + "[" + i + "]"));
                    }
                    return row;
                }
                return rowFromJson(rowType, json, RowKind.INSERT, path);
            }
            default:
                throw new UnsupportedOperationException(path + ": writing " + type + " values is not supported by this peer");
        }
    }

    private static long intOf(JsonNode json, String path) {
        if (json.isIntegralNumber()) return json.asLong();
        if (json.isTextual() && json.asText().matches("-?\\d+")) return new BigInteger(json.asText()).longValueExact();
        throw new IllegalArgumentException(path + " must be an integer, got " + json);
    }

    /** An ISO-8601 date-time; without a zone it is a UTC wall clock, a zone is honored. */
    static LocalDateTime parseUtcWallClock(String text) {
        String t = text.trim().replace(' ', 'T');
        if (t.endsWith("Z") || t.matches(".*[+-]\\d{2}:?\\d{2}$")) {
            return OffsetDateTime.parse(t).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        if (t.length() == 10) t = t + "T00:00:00";
        return LocalDateTime.parse(t);
    }

    // ---------------------------------------------------------------- Paimon -> JSON

    /** A JSON object with the row's fields in schema order. */
    static ObjectNode rowToJson(RowType type, InternalRow row) {
        ObjectNode out = NODES.objectNode();
        putRow(out, type, row);
        return out;
    }

    static void putRow(ObjectNode out, RowType type, InternalRow row) {
        List<DataField> fields = type.getFields();
        for (int i = 0; i < fields.size(); i++) {
            DataField f = fields.get(i);
            Object v = InternalRow.createFieldGetter(f.type(), i).getFieldOrNull(row);
            out.set(f.name(), toJson(f.type(), v));
        }
    }

    static JsonNode toJson(DataType type, Object value) {
        if (value == null) return NODES.nullNode();
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return NODES.booleanNode((Boolean) value);
            case TINYINT:
                return NODES.numberNode((int) (Byte) value);
            case SMALLINT:
                return NODES.numberNode((int) (Short) value);
            case INTEGER:
                return NODES.numberNode((Integer) value);
            case BIGINT: {
                long v = (Long) value;
                return v <= TWO_53 && v >= -TWO_53 ? NODES.numberNode(v) : NODES.textNode(Long.toString(v));
            }
            case FLOAT:
                // Widened to double like a JS reader of a float32 column sees it.
                return finite((double) (Float) value);
            case DOUBLE:
                return finite((Double) value);
            case DECIMAL:
                return NODES.textNode(((Decimal) value).toBigDecimal().toPlainString());
            case CHAR:
            case VARCHAR:
                return NODES.textNode(value.toString());
            case BINARY:
            case VARBINARY:
                return NODES.textNode(Base64.getEncoder().encodeToString((byte[]) value));
            case DATE:
                return NODES.textNode(dateString(LocalDate.ofEpochDay((Integer) value)));
            case TIME_WITHOUT_TIME_ZONE:
                return NODES.textNode(timeString((Integer) value, DataTypeChecks.getPrecision(type)));
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return NODES.textNode(timestampString((Timestamp) value, DataTypeChecks.getPrecision(type)));
            case ARRAY:
            case VECTOR: {
                DataType element = type instanceof ArrayType ? ((ArrayType) type).getElementType() : ((VectorType) type).getElementType();
                InternalArray array = (InternalArray) value;
                InternalArray.ElementGetter getter = InternalArray.createElementGetter(element);
                ArrayNode out = NODES.arrayNode();
                for (int i = 0; i < array.size(); i++) out.add(toJson(element, getter.getElementOrNull(array, i)));
                return out;
            }
            case MAP:
            case MULTISET: {
                DataType keyType = type instanceof MapType ? ((MapType) type).getKeyType() : ((MultisetType) type).getElementType();
                DataType valueType = type instanceof MapType ? ((MapType) type).getValueType() : new org.apache.paimon.types.IntType(false);
                InternalMap map = (InternalMap) value;
                InternalArray keys = map.keyArray();
                InternalArray values = map.valueArray();
                InternalArray.ElementGetter kg = InternalArray.createElementGetter(keyType);
                InternalArray.ElementGetter vg = InternalArray.createElementGetter(valueType);
                ArrayNode out = NODES.arrayNode();
                for (int i = 0; i < map.size(); i++) {
                    ArrayNode pair = out.addArray();
                    pair.add(toJson(keyType, kg.getElementOrNull(keys, i)));
                    pair.add(toJson(valueType, vg.getElementOrNull(values, i)));
                }
                return out;
            }
            case ROW:
                return rowToJson((RowType) type, (InternalRow) value);
            case VARIANT: {
                Variant v = (Variant) value;
                ObjectNode out = NODES.objectNode();
                out.put("value", Base64.getEncoder().encodeToString(v.value()));
                out.put("metadata", Base64.getEncoder().encodeToString(v.metadata()));
                return out;
            }
            default:
                return NODES.textNode(String.valueOf(value));
        }
    }

    private static JsonNode finite(double v) {
        return Double.isFinite(v) ? NODES.numberNode(v) : NODES.textNode(Double.toString(v));
    }

    static String dateString(LocalDate d) {
        int y = d.getYear();
        String year = y < 0 ? "-" + pad(-y, 4) : pad(y, 4);
        return year + "-" + pad(d.getMonthValue(), 2) + "-" + pad(d.getDayOfMonth(), 2);
    }

    static String timeString(int millisOfDay, int precision) {
        LocalTime t = LocalTime.ofNanoOfDay(millisOfDay * 1_000_000L);
        String base = pad(t.getHour(), 2) + ":" + pad(t.getMinute(), 2) + ":" + pad(t.getSecond(), 2);
        int digits = Math.min(3, precision);
        return digits > 0 ? base + "." + pad(millisOfDay % 1000, 3).substring(0, digits) : base;
    }

    static String timestampString(Timestamp ts, int precision) {
        LocalDateTime t = ts.toLocalDateTime();
        String base = dateString(t.toLocalDate()) + "T" + pad(t.getHour(), 2) + ":" + pad(t.getMinute(), 2) + ":" + pad(t.getSecond(), 2);
        return precision > 0 ? base + "." + pad(t.getNano(), 9).substring(0, Math.min(9, precision)) : base;
    }

    private static String pad(long v, int width) {
        StringBuilder s = new StringBuilder(Long.toString(v));
        while (s.length() < width) s.insert(0, '0');
        return s.toString();
    }
}
