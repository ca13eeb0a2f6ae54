package dev.mlops.llm.feedback;

/** The line formats of a supervised fine-tuning export. */
public enum SftFormat {
    /** {@code {"prompt": "...", "completion": "..."}} */
    PROMPT_COMPLETION,
    /** {@code {"messages": [{"role": "user", "content": "..."}, {"role": "assistant", "content": "..."}]}} */
    CHAT
}
