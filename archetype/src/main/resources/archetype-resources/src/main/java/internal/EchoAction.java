package ${package}.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import com.dooneflow.api.spi.ActionContext;
import com.dooneflow.api.spi.ActionHandler;
import com.dooneflow.api.spi.ActionResult;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.ParameterType;
import com.dooneflow.api.spi.TypeDescriptor;

/**
 * The {@code ${typeId}} action: answers with its text, repeated. Declarative Services registers it as an
 * {@link ActionHandler} for its type id when the bundle starts, and the engine calls it for every step of that type.
 */
@Component(property = ActionHandler.TYPE + "=" + EchoAction.TYPE)
public class EchoAction implements ActionHandler {

    public static final String TYPE = "${typeId}";

    /** What REST, the console and the save-time checks know of the action: the engine enforces it before execute. */
    private static final TypeDescriptor DESCRIPTOR = new TypeDescriptor(TYPE, TypeDescriptor.Kind.ACTION, "Echo",
            "Answers with its text, repeated; later steps read it as {echo}.",
            List.of(ParameterDescriptor.of("text", "Text", ParameterType.TEXT).asRequired().asTemplatable()
                            .withLength(null, 1000)
                            .withDescription("What to echo; {variables} are filled in from the trigger and earlier steps."),
                    ParameterDescriptor.of("times", "Times", ParameterType.INTEGER).withRange(1L, 5L).withDefault(1)
                            .withDescription("How many times, from 1 to 5.")));

    @Override
    public TypeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** The parameters arrive checked and rendered; a text its variables left empty is a permanent failure. */
    @Override
    public ActionResult execute(ActionContext context) {
        String text = String.valueOf(context.params().get("text"));
        int times = context.params().get("times") instanceof Number n ? n.intValue() : 1;
        if (text.isBlank()) {
            return ActionResult.fail("text is empty once its variables are filled in");
        }
        return ActionResult.ok(Map.of("echo", text.repeat(times)));
    }
}
