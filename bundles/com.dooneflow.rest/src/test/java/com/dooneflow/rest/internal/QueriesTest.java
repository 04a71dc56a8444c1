package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.List;

import javax.ws.rs.QueryParam;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.ValidationException;

class QueriesTest {

    @Test
    void limitIsAWholeNumberFrom1To500AndAnythingElseIs422NamingIt() {
        assertThat(Queries.limit(null)).isEqualTo(50);
        assertThat(Queries.limit("")).isEqualTo(50);
        assertThat(Queries.limit("1")).isEqualTo(1);
        assertThat(Queries.limit(" 500 ")).isEqualTo(500);
        for (String bad : List.of("0", "-1", "501", "abc", "1.5", "1e2", "99999999999", "0x10")) {
            assertThatThrownBy(() -> Queries.limit(bad)).as(bad)
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                            .extracting(FieldError::field, FieldError::message)
                            .containsExactly(tuple("limit", "must be a whole number from 1 to 500")));
        }
    }

    /** JAX-RS answers 404 when a query parameter does not convert to its type: every one is taken as text. */
    @Test
    void everyQueryParameterOfTheResourcesIsText() {
        List<Class<?>> resources = List.of(ConnectorResource.class, EventResource.class, ExecutionResource.class,
                HealthResource.class, MeResource.class, OpenApiResource.class, OrganizationResource.class,
                TeamMemberResource.class, TokenResource.class, WorkflowResource.class);
        int seen = 0;
        for (Class<?> resource : resources) {
            for (Method m : resource.getDeclaredMethods()) {
                for (Parameter p : m.getParameters()) {
                    if (p.isAnnotationPresent(QueryParam.class)) {
                        seen++;
                        assertThat(p.getType()).as(resource.getSimpleName() + "." + m.getName() + " "
                                + p.getAnnotation(QueryParam.class).value()).isEqualTo(String.class);
                    }
                }
            }
        }
        assertThat(seen).isGreaterThan(10);
    }
}
