package ${package}.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;

import com.dooneflow.api.spi.ActionContext;
import com.dooneflow.api.spi.ActionHandler;
import com.dooneflow.api.spi.ActionResult;

/**
 * The {@code ${typeId}} action: answers with its text, repeated. Declarative Services registers it as an
 * {@link ActionHandler} for its type id when the bundle starts, and the engine calls it for every step of that type.
 * What REST, the console and the save-time checks know of it — label, parameters with their limits, outputs — is in
 * {@code src/main/resources/OSGI-INF/dooneflow/types/${typeId}.json}: the engine reads that file as soon as the
 * bundle is installed, so workflows using the type can be saved even while this class is not running.
 */
@Component(property = ActionHandler.TYPE + "=" + EchoAction.TYPE)
public class EchoAction implements ActionHandler {

    public static final String TYPE = "${typeId}";

    /** The step's parameters, named as in the descriptor file; the engine checked them before execute. */
    record Params(String text, Integer times) {
    }

    /** A text its variables left empty is a permanent failure. */
    @Override
    public ActionResult execute(ActionContext context) {
        Params params = context.params(Params.class);
        if (params.text() == null || params.text().isBlank()) {
            return ActionResult.fail("text is empty once its variables are filled in");
        }
        int times = params.times() == null ? 1 : params.times();
        return ActionResult.ok(Map.of("echo", params.text().repeat(times)));
    }
}
