package com.dooneflow.connector.salesforce.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.annotation.security.PermitAll;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.AuthenticatedCaller;
import com.dooneflow.api.Page;
import com.dooneflow.api.Principal;
import com.dooneflow.api.WorkflowService;
import com.dooneflow.api.oauth.CallbackAnswer;
import com.dooneflow.api.rest.DooneFlowResource;

/**
 * {@code /v1/organizations/{orgId}/integrations/salesforce}: the organization's Salesforce connections, the start
 * of the OAuth flow ({@code POST .../{id}/connect}) and the public callback the browser returns to.
 */
@Component(service = SalesforceConnectionResource.class)
@DooneFlowResource
@Path("v1/organizations/{orgId}/integrations/salesforce")
@Produces(MediaType.APPLICATION_JSON)
public class SalesforceConnectionResource {

    private final SalesforceConnections connections;
    private final WorkflowService workflows;

    @Activate
    public SalesforceConnectionResource(@Reference SalesforceConnections connections,
                                        @Reference WorkflowService workflows) {
        this.connections = connections;
        this.workflows = workflows;
    }

    @GET
    public Map<String, Object> list(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                    @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Page<Map<String, Object>> page = connections.list(caller(security), orgId, ConnectionPages.limit(limit),
                cursor);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items());
        body.put("nextCursor", page.nextCursor()); // null on the last page, and written so
        return body;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context SecurityContext security, @PathParam("orgId") String orgId, ConnectionBody body) {
        return Response.status(201).entity(connections.create(caller(security), orgId, body)).build();
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                   @PathParam("id") String id) {
        return connections.get(caller(security), orgId, id);
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> update(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                      @PathParam("id") String id, ConnectionBody body) {
        Principal caller = caller(security);
        Object before = connections.get(caller, orgId, id).get("name");
        Map<String, Object> connection = connections.update(caller, orgId, id, body);
        Object after = connection.get("name");
        if (before.equals(after)) {
            return connection;
        }
        // Workflows name their connection: they follow the rename (see ConnectionRenames).
        ConnectionRenames.Outcome outcome = ConnectionRenames.follow(workflows, caller, orgId, (String) before,
                (String) after);
        Map<String, Object> answer = new LinkedHashMap<>(connection);
        answer.put("workflowsUpdated", outcome.updated());
        if (!outcome.notUpdated().isEmpty()) {
            answer.put("workflowsNotUpdated", outcome.notUpdated());
        }
        return answer;
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context SecurityContext security, @PathParam("orgId") String orgId,
                           @PathParam("id") String id) {
        connections.delete(caller(security), orgId, id);
        return Response.noContent().build();
    }

    /** Starts (or restarts: "Reconnect") the authorization; the UI sends the browser to {@code authorizeUrl}. */
    @POST
    @Path("{id}/connect")
    public Map<String, Object> connect(@Context SecurityContext security, @PathParam("orgId") String orgId,
                                       @PathParam("id") String id) {
        return Map.of("authorizeUrl", connections.connect(caller(security), orgId, id));
    }

    /**
     * Where Salesforce sends the browser back. Public (the browser carries no API token): the single-use state
     * is what authenticates it. Browsers get a small HTML page, API clients JSON.
     */
    @GET
    @PermitAll
    @Path("oauth/callback")
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response callback(@PathParam("orgId") String orgId, @QueryParam("state") String state,
                             @QueryParam("code") String code, @QueryParam("error") String error,
                             @QueryParam("error_description") String errorDescription, @Context HttpHeaders headers) {
        AuthorizationFlow.CallbackResult result = connections.callback(orgId, state, code, error, errorDescription);
        boolean html = headers != null && headers.getAcceptableMediaTypes().stream()
                .anyMatch(t -> t.isCompatible(MediaType.TEXT_HTML_TYPE) && !t.isWildcardType());
        CallbackAnswer answer = html ? htmlPage(orgId, result) : json(result);
        Response.ResponseBuilder response = Response.status(answer.status()).type(answer.mediaType())
                .entity(answer.body());
        answer.headers().forEach(response::header);
        return response.build();
    }

    private static CallbackAnswer json(AuthorizationFlow.CallbackResult result) {
        return result.status() == 200 ? CallbackAnswer.connected(result.message(), "connection", result.connection())
                : CallbackAnswer.problem("salesforce-authorization", "Salesforce authorization failed",
                        result.status(), result.message());
    }

    /** The answer to the browser, with a link back to the web console's Integrations page. */
    private static CallbackAnswer htmlPage(String orgId, AuthorizationFlow.CallbackResult result) {
        return CallbackAnswer.html(result.status(),
                result.status() == 200 ? "Salesforce connected" : "Salesforce connection failed", result.message(),
                CallbackAnswer.ConsoleLink.of("back-to-integrations", "Back to Integrations", "organizations", orgId,
                        "integrations"));
    }

    private static Principal caller(SecurityContext security) {
        return AuthenticatedCaller.principal(security.getUserPrincipal());
    }
}
