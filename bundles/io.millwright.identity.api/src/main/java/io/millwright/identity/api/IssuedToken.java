package io.millwright.identity.api;

/**
 * A token just issued: the only time its secret text exists outside the caller.
 *
 * @param token what was stored (without the secret)
 * @param secret the text a machine sends ({@code Authorization: Bearer <secret>}, or in an MQTT command)
 */
public record IssuedToken(ApiToken token, String secret) {

    @Override
    public String toString() {
        return "IssuedToken[" + token + ", secret=***]";
    }
}
