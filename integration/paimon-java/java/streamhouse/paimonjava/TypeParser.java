package streamhouse.paimonjava;

import java.util.ArrayList;
import java.util.List;

import org.apache.paimon.shade.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.paimon.types.DataField;
import org.apache.paimon.types.DataType;
import org.apache.paimon.types.DataTypeJsonParser;
import org.apache.paimon.types.DataTypes;
import org.apache.paimon.types.RowType;

/**
 * Column types in scripts: either the JSON form of Paimon's schema files (a string such as
 * "BIGINT NOT NULL", or {"type":"ARRAY","element":...}), or a SQL-like string with nested
 * types: "ARRAY<STRING>", "MAP<STRING, INT NOT NULL> NOT NULL", "MULTISET<INT>",
 * "ROW<a INT, b ARRAY<DOUBLE>>". Paimon's own string parser takes atomic types only, so
 * this one handles the nesting and hands every atomic piece to Paimon. Nested field ids
 * are placeholders: Paimon reassigns them when the schema is created or altered.
 */
final class TypeParser {
    private final String text;
    private int pos;
    private int nextFieldId;

    private TypeParser(String text) {
        this.text = text;
    }

    static DataType parse(JsonNode type) {
        if (!type.isTextual()) return DataTypeJsonParser.parseDataType(type);
        TypeParser p = new TypeParser(type.asText());
        DataType t = p.type();
        p.skipSpace();
        if (p.pos != p.text.length()) throw p.error("unexpected text");
        return t;
    }

    private DataType type() {
        skipSpace();
        int start = pos;
        String word = word().toUpperCase();
        skipSpace();
        boolean angle = pos < text.length() && text.charAt(pos) == '<';
        if (angle && (word.equals("ARRAY") || word.equals("MULTISET") || word.equals("MAP") || word.equals("ROW"))) {
            pos++;
            DataType t;
            switch (word) {
                case "ARRAY":
                    t = DataTypes.ARRAY(type());
                    break;
                case "MULTISET":
                    t = DataTypes.MULTISET(type());
                    break;
                case "MAP": {
                    DataType key = type();
                    expect(',');
                    t = DataTypes.MAP(key, type());
                    break;
                }
                default:
                    t = row();
            }
            expect('>');
            return nullability(t);
        }
        // An atomic type: everything up to the next ',' or '>' outside parentheses.
        pos = start;
        int depth = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (depth == 0 && (c == ',' || c == '>')) break;
            pos++;
        }
        return DataTypeJsonParser.parseAtomicTypeSQLString(text.substring(start, pos).trim());
    }

    private RowType row() {
        List<DataField> fields = new ArrayList<>();
        while (true) {
            skipSpace();
            String name;
            if (pos < text.length() && text.charAt(pos) == '`') {
                int end = text.indexOf('`', pos + 1);
                if (end < 0) throw error("unterminated `name`");
                name = text.substring(pos + 1, end);
                pos = end + 1;
            } else {
                name = word();
            }
            if (name.isEmpty()) throw error("expected a field name");
            fields.add(new DataField(nextFieldId++, name, type()));
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
                continue;
            }
            return new RowType(fields);
        }
    }

    private DataType nullability(DataType t) {
        skipSpace();
        if (text.startsWith("NOT NULL", pos) || text.startsWith("not null", pos)) {
            pos += "NOT NULL".length();
            return t.copy(false);
        }
        if (text.startsWith("NULL", pos) || text.startsWith("null", pos)) {
            pos += "NULL".length();
        }
        return t;
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
        return text.substring(start, pos);
    }

    private void expect(char c) {
        skipSpace();
        if (pos >= text.length() || text.charAt(pos) != c) throw error("expected '" + c + "'");
        pos++;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException(problem + " at offset " + pos + " of type \"" + text + "\"");
    }
}
