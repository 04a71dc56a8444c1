package com.dooneflow.api.spi;

/** The value type of a parameter, as REST clients, the UI and validation see it. */
public enum ParameterType {
    STRING, TEXT, INTEGER, BOOLEAN, SELECT, STRING_LIST, OBJECT, JSON
}
