package io.courier.relayer.config;

/** The configuration is invalid; the message names the config path and what is wrong with it. */
public class ConfigException extends RuntimeException {
    private final String path;

    public ConfigException(String path, String problem) {
        super(path + ": " + problem);
        this.path = path;
    }

    public String path() {
        return path;
    }
}
