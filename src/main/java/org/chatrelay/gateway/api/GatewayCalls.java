package org.chatrelay.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.chatrelay.config.PriceTable;
import org.chatrelay.gateway.Gateway;
import org.chatrelay.gateway.errors.ErrorKind;
import org.chatrelay.gateway.errors.GatewayError;
import org.chatrelay.gateway.keys.GatewayKeys;
import org.chatrelay.gateway.keys.VirtualKey;
import org.chatrelay.gateway.limits.Admission;
import org.chatrelay.gateway.limits.CallReserve;
import org.chatrelay.gateway.wire.AnthropicDelivery;
import org.chatrelay.gateway.wire.GatewayRequest;
import org.chatrelay.gateway.wire.OpenAiDelivery;
import org.chatrelay.config.Dialect;
import org.chatrelay.persistence.GatewayFacts;
import org.chatrelay.relay.CallOptions;
import org.chatrelay.relay.Delivery;
import org.chatrelay.relay.RelayService;
import org.chatrelay.routing.Route;
import org.chatrelay.tokens.TokenEstimator;

/**
 * A gateway call from key to answer: authenticate, read, permit the model, admit against the key's limits (reserving
 * the most it may cost), then the relay's one answer path with the client's dialect as its delivery. The key's claim
 * is given back once the call's usage row is stored, or at once if the call never started.
 */
public final class GatewayCalls {
    private final Gateway gateway;
    private final RelayService relay;
    private final PriceTable prices;
    private final TokenEstimator estimator;
    private final ObjectMapper json;

    public GatewayCalls(Gateway gateway, RelayService relay, PriceTable prices, TokenEstimator estimator, ObjectMapper json) {
        this.gateway = gateway;
        this.relay = relay;
        this.prices = prices;
        this.estimator = estimator;
        this.json = json;
    }

    /** @throws org.chatrelay.gateway.errors.Refusal 401 */
    public VirtualKey authenticate(HttpServletRequest req) {
        return gateway.keys().authenticate(req.getHeader("Authorization"), req.getHeader("x-api-key"));
    }

    /** The models this key may use, the default first. */
    public List<String> models(VirtualKey key) {
        return relay.models().stream().filter(key::allows).toList();
    }

    /**
     * Starts the call asynchronously, or throws before anything was claimed or sent.
     *
     * @throws org.chatrelay.gateway.errors.Refusal  403 model, 429 limits and budgets
     * @throws GatewayRequest.BadRequest              400 naming the member
     * @throws ModelNotFound                          404
     */
    public void start(HttpServletRequest req, VirtualKey key, Dialect dialect, JsonNode body) {
        GatewayRequest call = GatewayRequest.readToPass(dialect, body);
        GatewayKeys.permit(key, call.model());
        if (!relay.models().contains(call.model())) {
            throw new ModelNotFound(GatewayError.of(ErrorKind.NOT_FOUND, "The model '" + call.model() + "' does not exist."));
        }
        Route route = relay.route(call.model(), call.stickyId(key.id()));
        // Passed through only when every provider the call may reach (fallbacks included) speaks the client's dialect:
        // a fallback to the other dialect must not drop what it cannot translate. A body is built from the relay's
        // reading, so only a stream passes through.
        boolean passThrough = call.stream() && route.candidates().stream().allMatch(c -> c.target().dialect() == dialect);
        if (!passThrough) {
            call = GatewayRequest.read(dialect, body);
        }
        ObjectNode asSent = passThrough ? (ObjectNode) body : null;
        Map<Dialect, Map<String, JsonNode>> fields = call.fields();
        // GatewayRequest refused any cap but a positive int, so the reservation and the cap decision read the same value.
        JsonNode max = fields.get(Dialect.ANTHROPIC).get("max_tokens");
        OptionalInt clientMax = max != null ? OptionalInt.of(max.asInt()) : OptionalInt.empty();
        CallReserve reserve = CallReserve.of(route.candidates().stream().map(c -> CallReserve.Reach.of(c, prices, route.model())).toList(),
                estimator.countPrompt(call.messages()), clientMax);
        // An OpenAI-shaped call without max_tokens has no cap upstream: the provider would stop where the model does, past
        // what was reserved. Under a budget it is sent the cap its reservation assumed (the provider's own answer limit,
        // finish reason "length" when reached) rather than reserving the model's maximum output, which no configuration
        // states and which would refuse small budgets every call. Without a budget no reservation is checked: it goes as sent.
        boolean budgeted = key.dailyBudgetMicros() != null || key.monthlyBudgetMicros() != null;
        if (budgeted && clientMax.isEmpty() && reserve.capTokens() > 0) {
            Map<String, JsonNode> openAi = new LinkedHashMap<>(fields.get(Dialect.OPENAI));
            openAi.put(reserve.capMember(), IntNode.valueOf(reserve.capTokens()));
            fields = Map.of(Dialect.OPENAI, openAi, Dialect.ANTHROPIC, fields.get(Dialect.ANTHROPIC));
            if (asSent != null && dialect == Dialect.OPENAI) {
                asSent = asSent.deepCopy().put(reserve.capMember(), reserve.capTokens());
            }
        }
        Admission admission = gateway.limits().admit(key, call.stream(), reserve.micros());
        ObjectNode passed = asSent;
        Delivery delivery = dialect == Dialect.ANTHROPIC ? new AnthropicDelivery(json, call.stream(), call.model(), passThrough)
                : new OpenAiDelivery(json, call.stream(), call.includeUsage(), call.model(), passThrough);
        try {
            relay.startCall(req, new GatewayFacts(key.id(), call.endUser(), dialect.code(), call.stream()), call.stickyId(key.id()),
                    call.model(), call.messages(),
                    new CallOptions(fields::get, d -> d == dialect ? passed : null, key.storeContent(), admission::close), delivery);
        } catch (RuntimeException e) {
            admission.close();
            throw e;
        }
    }

    /** A model no provider serves. */
    public static final class ModelNotFound extends RuntimeException {
        private final GatewayError error;

        ModelNotFound(GatewayError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        public GatewayError error() {
            return error;
        }
    }
}
