package dev.mlops.registry;

import dev.mlops.api.Field;
import dev.mlops.api.Schema;
import dev.mlops.api.spi.DatasetRef;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a model card in Markdown from a package descriptor: description, data, trainer and hyperparameters,
 * metrics, signature, flavors and build environment. Stateless and thread-safe.
 */
public final class ModelCard {
    private ModelCard() {
    }

    /**
     * Renders the card.
     *
     * @param d the package descriptor
     * @return Markdown text
     */
    public static String markdown(PackageDescriptor d) {
        StringBuilder md = new StringBuilder("# Model card\n\n");
        if (d.description() != null) {
            md.append(escape(d.description())).append("\n\n");
        }
        md.append("Built ").append(d.created()).append(" with flavors ").append(String.join(", ",
                new TreeMap<>(d.flavors()).keySet())).append(".\n\n");

        md.append("## Data\n\n");
        if (d.datasets().isEmpty()) {
            md.append("No datasets were recorded.\n\n");
        } else {
            md.append("| dataset | role | SHA-256 |\n| --- | --- | --- |\n");
            for (DatasetRef r : d.datasets()) {
                md.append("| ").append(escape(r.name())).append(" | ").append(escape(r.context())).append(" | `")
                        .append(escape(r.digest())).append("` |\n");
            }
            md.append('\n');
        }

        md.append("## Training\n\n");
        FlavorSpec tribuo = d.flavors().get(FlavorSpec.TRIBUO);
        if (tribuo != null) {
            md.append("Model class `").append(escape(tribuo.property("modelClass"))).append("`");
            String trainer = d.params().get("trainer.class-name");
            if (trainer != null) {
                md.append(", trained by `").append(escape(trainer)).append('`');
            }
            md.append(".\n\n");
        }
        if (d.params().isEmpty()) {
            md.append("No parameters were recorded.\n\n");
        } else {
            md.append("| parameter | value |\n| --- | --- |\n");
            for (Map.Entry<String, String> p : new TreeMap<>(d.params()).entrySet()) {
                md.append("| ").append(escape(p.getKey())).append(" | ").append(escape(p.getValue())).append(" |\n");
            }
            md.append('\n');
        }

        md.append("## Metrics\n\n");
        if (d.metrics().isEmpty()) {
            md.append("No metrics were recorded.\n\n");
        } else {
            md.append("| metric | value |\n| --- | --- |\n");
            for (Map.Entry<String, Double> m : new TreeMap<>(d.metrics()).entrySet()) {
                md.append("| ").append(escape(m.getKey())).append(" | ")
                        .append(String.format(Locale.ROOT, "%.6g", m.getValue())).append(" |\n");
            }
            md.append('\n');
        }

        md.append("## Signature\n\n");
        schema(md, "Inputs", d.signature().inputs());
        if (d.signature().outputs() != null) {
            schema(md, "Outputs", d.signature().outputs());
        }

        md.append("## Environment\n\n");
        for (Map.Entry<String, String> e : new TreeMap<>(d.environment()).entrySet()) {
            md.append("- ").append(escape(e.getKey())).append(": ").append(escape(e.getValue())).append('\n');
        }
        return md.toString();
    }

    private static void schema(StringBuilder md, String title, Schema schema) {
        md.append(title).append(":\n\n| column | type | required |\n| --- | --- | --- |\n");
        for (Field f : schema.fields()) {
            md.append("| ").append(escape(f.name())).append(" | ").append(f.type().jsonName()).append(" | ")
                    .append(f.nullable() ? "no" : "yes").append(" |\n");
        }
        md.append('\n');
    }

    /** Keeps user text from breaking tables or injecting markup. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
                .replace("`", "\\`").replace("\r", " ").replace("\n", " ");
    }
}
