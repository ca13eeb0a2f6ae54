package dev.mlops.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The ordered, uniquely named fields of a {@link Frame} or of a model's inputs or outputs.
 *
 * <p>Immutable and thread-safe. Two schemas are equal when their fields are equal in the same order.
 */
public final class Schema {
    private final List<Field> fields;
    private final Map<String, Integer> index;

    private Schema(List<Field> fields) {
        this.fields = List.copyOf(fields);
        Map<String, Integer> idx = new HashMap<>(fields.size() * 2);
        for (int i = 0; i < this.fields.size(); i++) {
            Field f = Objects.requireNonNull(this.fields.get(i), "field " + i);
            Integer previous = idx.put(f.name(), i);
            if (previous != null) {
                throw new InvalidArgumentException("duplicate column name '" + f.name() + "' at positions "
                        + previous + " and " + i);
            }
        }
        this.index = Collections.unmodifiableMap(idx);
    }

    /**
     * Creates a schema from fields in order.
     *
     * @param fields the fields
     * @return the schema
     * @throws InvalidArgumentException if two fields share a name
     */
    public static Schema of(Field... fields) {
        return new Schema(Arrays.asList(fields));
    }

    /**
     * Creates a schema from fields in order.
     *
     * @param fields the fields
     * @return the schema
     * @throws InvalidArgumentException if two fields share a name
     */
    @JsonCreator
    public static Schema of(@JsonProperty("fields") Collection<Field> fields) {
        return new Schema(new ArrayList<>(fields));
    }

    /**
     * Returns the fields in order.
     *
     * @return an unmodifiable list
     */
    @JsonProperty("fields")
    public List<Field> fields() {
        return fields;
    }

    /**
     * Returns the number of fields.
     *
     * @return the field count
     */
    public int size() {
        return fields.size();
    }

    /**
     * Returns the field names in order.
     *
     * @return an unmodifiable list of names
     */
    public List<String> names() {
        return fields.stream().map(Field::name).toList();
    }

    /**
     * Returns the field at a position.
     *
     * @param position a 0-based position
     * @return the field
     * @throws IndexOutOfBoundsException if the position is outside the schema
     */
    public Field field(int position) {
        return fields.get(position);
    }

    /**
     * Returns the field with a name.
     *
     * @param name a column name
     * @return the field
     * @throws NotFoundException if no field has that name, listing the names there are
     */
    public Field field(String name) {
        return fields.get(indexOf(name));
    }

    /**
     * Returns the field with a name, if there is one.
     *
     * @param name a column name
     * @return the field, or empty
     */
    public Optional<Field> find(String name) {
        Integer i = index.get(name);
        return i == null ? Optional.empty() : Optional.of(fields.get(i));
    }

    /**
     * Tells whether a field has the name.
     *
     * @param name a column name
     * @return true if there is such a field
     */
    public boolean contains(String name) {
        return index.containsKey(name);
    }

    /**
     * Returns the position of the field with a name.
     *
     * @param name a column name
     * @return the 0-based position
     * @throws NotFoundException if no field has that name, listing the names there are
     */
    public int indexOf(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new NotFoundException("unknown column '" + name + "'; columns are " + abbreviatedNames());
        }
        return i;
    }

    /**
     * Returns a schema with the named fields in the order given.
     *
     * @param names column names
     * @return the narrowed schema
     * @throws NotFoundException if a name is unknown
     * @throws InvalidArgumentException if a name is repeated
     */
    public Schema select(List<String> names) {
        List<Field> selected = new ArrayList<>(names.size());
        for (String n : names) {
            selected.add(field(n));
        }
        return new Schema(selected);
    }

    String abbreviatedNames() {
        List<String> names = names();
        if (names.size() <= 20) {
            return names.toString();
        }
        return names.subList(0, 20).toString().replaceFirst("]$", ", ... (" + names.size() + " in all)]");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schema s && fields.equals(s.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
