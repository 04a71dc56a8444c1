package com.dooneflow.api.spi;

/** The value type of a parameter, as REST clients, the UI and validation see it. */
public enum ParameterType {
    STRING, TEXT, INTEGER, BOOLEAN, SELECT, STRING_LIST, OBJECT, JSON,
    /**
     * An absolute http or https URL. Its scheme, host and port must be written out; when templatable, variables
     * may fill its path, query and fragment, and their values are percent-encoded there (a value cannot add a
     * path segment, a query parameter or change the host).
     */
    URL
}
