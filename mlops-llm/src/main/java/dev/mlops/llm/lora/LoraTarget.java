package dev.mlops.llm.lora;

/** The linear layers of a GPT-2 block that can carry a low-rank adapter. */
public enum LoraTarget {
    /** The attention query projection (the first third of {@code c_attn}). */
    QUERY("attn.q"),
    /** The attention key projection (the second third of {@code c_attn}). */
    KEY("attn.k"),
    /** The attention value projection (the last third of {@code c_attn}). */
    VALUE("attn.v"),
    /** The attention output projection, {@code attn.c_proj}. */
    ATTENTION_OUTPUT("attn.c_proj"),
    /** The MLP's widening projection, {@code mlp.c_fc}. */
    MLP_IN("mlp.c_fc"),
    /** The MLP's narrowing projection, {@code mlp.c_proj}. */
    MLP_OUT("mlp.c_proj");

    private final String module;

    LoraTarget(String module) {
        this.module = module;
    }

    /**
     * Returns the layer's name within a block, as adapter tensor names use it ({@code h.0.attn.q.lora_A.weight}).
     *
     * @return for instance {@code attn.q}
     */
    public String module() {
        return module;
    }
}
