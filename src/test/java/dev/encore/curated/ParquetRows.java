package dev.encore.curated;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads a Parquet file with parquet-java, a reader independent of the DuckDB that wrote it:
 * every row as column name -> value (String, Integer, Long, Boolean, LocalDateTime, LocalDate, or
 * null), and the physical and logical type of each column.
 */
final class ParquetRows {
    private ParquetRows() {
    }

    static MessageType schema(Path file) throws IOException {
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
            return r.getFooter().getFileMetaData().getSchema();
        }
    }

    /** "INT64/TIMESTAMP(MICROS,false)", "BINARY/STRING", "BOOLEAN/", ... per column. */
    static Map<String, String> types(Path file) throws IOException {
        Map<String, String> types = new LinkedHashMap<>();
        for (Type t : schema(file).getFields()) {
            PrimitiveType p = t.asPrimitiveType();
            LogicalTypeAnnotation l = p.getLogicalTypeAnnotation();
            types.put(t.getName(), p.getPrimitiveTypeName() + "/" + (l == null ? "" : l.toString()));
        }
        return types;
    }

    static List<Map<String, Object>> read(Path file) throws IOException {
        MessageType schema = schema(file);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
                new org.apache.hadoop.fs.Path(file.toUri())).build()) {
            for (Group g = reader.read(); g != null; g = reader.read()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (Type t : schema.getFields()) {
                    row.put(t.getName(), g.getFieldRepetitionCount(t.getName()) == 0 ? null : value(g, t.asPrimitiveType()));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static Object value(Group g, PrimitiveType t) {
        String name = t.getName();
        LogicalTypeAnnotation l = t.getLogicalTypeAnnotation();
        return switch (t.getPrimitiveTypeName()) {
            case BINARY -> g.getString(name, 0);
            case BOOLEAN -> g.getBoolean(name, 0);
            case INT32 -> l instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
                    ? LocalDate.ofEpochDay(g.getInteger(name, 0)) : (Object) g.getInteger(name, 0);
            case INT64 -> {
                long v = g.getLong(name, 0);
                if (l instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
                    if (ts.getUnit() != LogicalTypeAnnotation.TimeUnit.MICROS) {
                        throw new IllegalStateException("unexpected unit " + ts.getUnit());
                    }
                    Instant i = Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1000);
                    yield LocalDateTime.ofInstant(i, ZoneOffset.UTC);
                }
                yield v;
            }
            default -> throw new IllegalStateException("unexpected type of " + name + ": " + t);
        };
    }
}
