package ${package};

import static org.junit.Assert.assertEquals;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.dooneflow.testing.karaf.DooneFlowTestSupport;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The connector in the real DooneFlow distribution ({@code mvn verify}): Pax Exam boots the distribution on its embedded
 * database with this build's jar installed, and the test, running inside it, uses the REST API as a user would.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EchoConnectorIT extends DooneFlowTestSupport {

    private static final String TYPE = "${typeId}";

    /** The first owner signs in with OWNER_TOKEN; the connector is the jar this build packaged. */
    @Configuration
    public Option[] config() {
        return distribution(OptionUtils.combine(knownOwnerToken(), connectorBundle()));
    }

    @Test
    public void theActionIsInstalledAndAWorkflowUsingItRuns() {
        String org = ownersOrganization();

        JsonNode type = awaitConnectorType(TYPE);
        assertEquals("action", type.path("kind").asText());
        assertEquals("echo", type.path("outputs").path(0).path("name").asText());

        Reply outOfRange = post("/v1/organizations/" + org + "/workflows", OWNER_TOKEN, workflow("echo-range", 9));
        assertEquals(outOfRange.body(), 422, outOfRange.status());
        assertContains(outOfRange.body(), "actions[0].params.times");

        Reply saved = post("/v1/organizations/" + org + "/workflows", OWNER_TOKEN, workflow("echo-it", 2));
        assertEquals(saved.body(), 201, saved.status());
        Reply accepted = post("/webhook/echo-it", null, "{\"name\":\"Ann\"}");
        assertEquals(accepted.body(), 202, accepted.status());

        JsonNode execution = awaitExecution(org, accepted.json().path("executionIds").path(0).asText(), "succeeded");
        assertEquals("Hi Ann! Hi Ann! ", execution.path("steps").path(0).path("output").path("echo").asText());
    }

    /** A workflow that a webhook at /webhook/{name} starts, with one step of this connector's action. */
    private static String workflow(String name, int times) {
        return "{\"name\":\"" + name + "\",\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"" + name
                + "\",\"authentication\":\"none\"}},\"actions\":[{\"type\":\"" + TYPE + "\",\"params\":"
                + "{\"text\":\"Hi {contact_name}! \",\"times\":" + times + "}}]}";
    }
}
