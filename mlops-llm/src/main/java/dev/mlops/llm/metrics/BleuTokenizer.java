package dev.mlops.llm.metrics;

import dev.mlops.llm.internal.Tokenizer13a;

/** The tokenizers BLEU offers, named as in sacreBLEU's signature. */
public enum BleuTokenizer {
    /** mteval-v13a's tokenization, sacreBLEU's default: splits punctuation, keeps decimal points and commas. */
    THIRTEEN_A("13a"),
    /** No tokenization: the text is split on whitespace only, for input that is already tokenized. */
    NONE("none");

    private final String signature;

    BleuTokenizer(String signature) {
        this.signature = signature;
    }

    /**
     * Returns the name sacreBLEU writes in the signature.
     *
     * @return {@code 13a} or {@code none}
     */
    public String signature() {
        return signature;
    }

    /**
     * Tokenizes one right-stripped segment.
     *
     * @param segment the text
     * @return the tokens joined by single spaces (for {@code none}, the text as given)
     */
    String apply(String segment) {
        return this == THIRTEEN_A ? Tokenizer13a.tokenize(segment) : segment;
    }
}
