package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The audit filter keeps the start of a request body for its field names and passes every byte on unchanged. */
class AuditFilterCaptureTest {

    @Test
    void keepsTheFirstBytesAndPassesAllOn() throws IOException {
        byte[] body = new byte[AuditFilter.CAPTURE_BYTES + 1000];
        Arrays.fill(body, (byte) 'x');
        body[0] = '{';
        AuditFilter.Capture capture = new AuditFilter.Capture(new ByteArrayInputStream(body));

        int first = capture.read();
        byte[] rest = capture.readAllBytes();

        assertThat(first).isEqualTo('{');
        assertThat(rest).hasSize(body.length - 1);
        assertThat(capture.size()).isEqualTo(AuditFilter.CAPTURE_BYTES);
        assertThat(capture.bytes()).isEqualTo(Arrays.copyOf(body, AuditFilter.CAPTURE_BYTES));
    }

    @Test
    void theTemplateIsTheClassPathAndTheMethodPath() throws NoSuchMethodException {
        assertThat(AuditFilter.template(WorkflowResource.class, WorkflowResource.class.getMethod("webhookKey",
                javax.ws.rs.core.SecurityContext.class, String.class, String.class, String.class)))
                .isEqualTo("v1/organizations/{orgId}/workflows/{id}/webhook-key");
    }
}
