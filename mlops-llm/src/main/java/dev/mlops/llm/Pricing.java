package dev.mlops.llm;

import dev.mlops.api.InvalidArgumentException;
import java.util.Objects;

/**
 * The price of a model's tokens, for cost estimates: {@code promptTokens * inputPerToken + completionTokens *
 * outputPerToken}.
 *
 * @param inputPerToken the price of one prompt token
 * @param outputPerToken the price of one generated token
 * @param currency the currency, for instance {@code USD}
 */
public record Pricing(double inputPerToken, double outputPerToken, String currency) {
    /**
     * Validates the prices.
     *
     * @throws InvalidArgumentException if a price is negative, NaN or infinite, or the currency is blank
     */
    public Pricing {
        check("inputPerToken", inputPerToken);
        check("outputPerToken", outputPerToken);
        if (currency == null || currency.isBlank()) {
            throw new InvalidArgumentException("currency must not be blank");
        }
    }

    private static void check(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new InvalidArgumentException(name + " must be a finite price of 0 or more, but was " + v);
        }
    }

    /**
     * Prices per token in US dollars.
     *
     * @param inputPerToken the price of one prompt token
     * @param outputPerToken the price of one generated token
     * @return the pricing
     */
    public static Pricing perToken(double inputPerToken, double outputPerToken) {
        return new Pricing(inputPerToken, outputPerToken, "USD");
    }

    /**
     * Prices per million tokens in US dollars, as providers usually quote them.
     *
     * @param inputPerMillion the price of a million prompt tokens
     * @param outputPerMillion the price of a million generated tokens
     * @return the pricing
     */
    public static Pricing perMillionTokens(double inputPerMillion, double outputPerMillion) {
        return new Pricing(inputPerMillion / 1_000_000, outputPerMillion / 1_000_000, "USD");
    }

    /**
     * Returns a copy in another currency.
     *
     * @param code the currency code
     * @return the copy
     */
    public Pricing withCurrency(String code) {
        return new Pricing(inputPerToken, outputPerToken, Objects.requireNonNull(code, "code"));
    }

    /**
     * Returns the cost of one call.
     *
     * @param promptTokens tokens in the prompt
     * @param completionTokens tokens generated
     * @return the cost
     */
    public double cost(long promptTokens, long completionTokens) {
        return promptTokens * inputPerToken + completionTokens * outputPerToken;
    }
}
