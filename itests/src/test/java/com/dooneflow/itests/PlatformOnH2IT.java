package com.dooneflow.itests;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.dooneflow.testing.karaf.DooneFlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;

/** The zero-setup start: no database configured, no bootstrap token given. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformOnH2IT extends DooneFlowTestSupport {

    @Configuration
    public Option[] config() {
        return distribution();
    }

    @Test
    public void startsOnEmbeddedH2AndHandsTheFirstOwnerAGeneratedToken() throws Exception {
        JsonNode health = awaitHealthy();
        assertEquals("UP", health.path("status").asText());
        assertEquals("h2", health.path("database").asText());

        Path data = Path.of(System.getProperty("karaf.data"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("initial-owner.txt"))));
        String file = Files.readString(data.resolve("initial-owner.txt"));
        String token = file.replaceAll("(?s).*token: (\\S+).*", "$1");
        assertEquals("owner@localhost", get("/v1/me", token).json().path("email").asText());

        Path key = Path.of(System.getProperty("karaf.etc")).resolve("dooneflow-master.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertContains(Files.readString(key), "=");

        Reply created = post("/v1/organizations", token, "{\"name\":\"Second\"}");
        assertEquals(201, created.status());
        assertEquals(2, get("/v1/organizations", token).json().path("items").size());
    }
}
