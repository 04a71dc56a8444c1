package com.dooneflow.rest.internal;

import java.lang.reflect.Proxy;

/** A stand-in for an interface (a servlet request, a service) that answers each call by method name. */
final class TestProxies {

    private TestProxies() {
    }

    interface Answer {
        Object answer(String method, Object[] args);
    }

    static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (p, m, args) -> switch (m.getName()) {
                    case "toString" -> type.getSimpleName();
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    default -> answer.answer(m.getName(), args);
                }));
    }
}
