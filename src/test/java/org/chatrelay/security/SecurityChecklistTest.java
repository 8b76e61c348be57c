package org.chatrelay.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Where each item of docs/security-checklist.md (S1–S29) is tested, checked against the test classes themselves so
 * the table cannot rot: every named method must exist. An item that did not apply would say why ("n/a: …"); since
 * the admin pages (issue 4) landed, every item applies. The admin items (S8, S12, S18–S22) are issue 4's own tests,
 * extended here where they left a gap (the session cookie's Secure flag over TLS, the idle timeout).
 */
class SecurityChecklistTest {
    static final String NOT_APPLICABLE = "n/a: ";

    static final Map<String, List<String>> CHECKLIST = new LinkedHashMap<>();

    static {
        item("S1", "security.CsrfIT#a_post_from_another_site_is_refused_with_403_csrf_before_anything_is_stored_or_sent");
        item("S2", "security.CsrfIT#a_same_origin_post_without_or_with_a_wrong_token_is_refused_and_the_right_token_streams",
                "security.VisitorCookieIT#an_id_the_server_never_issued_is_replaced_and_sees_none_of_the_visitors_conversations",
                "security.VisitorCookieIT#over_tls_the_cookie_is_host_prefixed_secure_for_the_whole_host_and_a_plain_one_is_no_longer_read");
        item("S3", "security.CsrfIT#form_and_text_bodies_are_refused_with_415_so_no_simple_cross_site_request_gets_through");
        item("S4", "security.InputValidationIT#malformed_json_wrong_types_and_unknown_fields_are_400_invalid_request_naming_the_field");
        item("S5", "security.InputValidationIT#an_oversized_message_or_body_is_413_an_empty_one_400_and_the_conversation_is_unchanged");
        item("S6", "relay.RelayIT#another_visitors_conversation_is_a_404_and_gets_nothing_appended",
                "relay.RelayIT#bad_input_is_refused_with_a_json_error_and_nothing_goes_upstream");
        item("S7", "security.InputValidationIT#a_model_or_provider_parameter_from_the_browser_is_refused_and_never_forwarded");
        item("S8", "admin.AdminPagesContract#malformed_filters_are_a_400_that_shows_no_sql",
                "admin.AdminPagesContract#valid_filters_and_sorts_work_and_quotes_in_search_text_are_just_text",
                "admin.report.ReportFilterTest#injected_or_impossible_dates_are_refused_without_echoing_them",
                "admin.report.ReportFilterTest#conditions_are_fixed_text_with_bound_values");
        item("S9", "web.ChatPageBrowserIT#model_output_html_is_shown_as_text",
                "security.XssBrowserIT#markup_smuggled_into_the_page_runs_nothing_and_fetches_nothing_from_another_origin",
                "markdown.MarkdownRendererTest#raw_html_in_model_output_is_escaped_text");
        item("S10", "markdown.MarkdownRendererTest#links_other_than_http_and_mailto_lose_their_target_and_keep_their_text",
                "markdown.MarkdownRendererTest#allowed_links_open_without_referrer_or_opener",
                "security.XssBrowserIT#markup_smuggled_into_the_page_runs_nothing_and_fetches_nothing_from_another_origin");
        item("S11", "markdown.MarkdownRendererTest#an_image_is_never_fetched_it_becomes_text",
                "web.MarkdownBrowserIT#a_finished_answer_becomes_safe_markdown_in_place",
                "security.XssBrowserIT#markup_smuggled_into_the_page_runs_nothing_and_fetches_nothing_from_another_origin");
        item("S12", "admin.AdminPagesContract#html_from_visitors_and_models_shows_as_text_on_every_admin_page",
                "admin.AdminReportBrowserIT#an_admin_signs_in_and_sees_the_report_with_its_charts_and_a_transcript");
        item("S13", "security.HeadersIT#every_kind_of_response_carries_the_csp_nosniff_no_referrer_no_framing_and_a_charset",
                "security.HeadersIT#hsts_is_sent_when_the_request_came_over_tls_and_only_then",
                "security.HeadersIT#the_visitor_cookie_is_http_only_same_site_lax_and_secure_over_tls",
                "deploy.StandaloneJettyIT#behind_a_tls_proxy_responses_carry_hsts_and_over_plain_http_they_do_not");
        item("S14", "security.SecretsScanIT#no_page_script_frame_error_body_or_log_line_of_the_whole_run_holds_a_key_or_a_password",
                "relay.RelayIT#the_key_goes_upstream_as_a_bearer_token_and_nowhere_else");
        item("S15", "security.LogsIT#an_upstream_401_is_a_502_upstream_auth_for_the_browser_and_a_warning_with_the_status_for_the_operator",
                "relay.RelayIT#upstream_refusals_before_the_stream_are_json_errors_without_the_upstream_body");
        item("S16", "security.LogsIT#a_message_with_line_breaks_and_a_fake_log_line_cannot_forge_a_line_and_no_content_or_secret_is_logged",
                "deploy.StandaloneJettyIT#each_answer_logs_one_line_with_ids_figures_and_no_key_password_cookie_or_content");
        item("S17", "security.ErrorPagesIT#an_unexpected_server_error_is_a_generic_500_with_a_correlation_id_and_the_details_only_in_the_log",
                "security.ErrorPagesIT#an_unknown_page_is_a_plain_html_404_and_an_unknown_api_path_a_json_404_each_with_a_logged_correlation_id",
                "deploy.StandaloneJettyIT#no_response_names_the_server_or_its_version");
        item("S18", "admin.AdminLoginThrottleIT#failures_for_known_and_unknown_users_look_alike_and_ten_wrong_passwords_lock_the_account",
                "admin.auth.LoginThrottleTest#five_failures_lock_a_username_whether_or_not_it_exists_and_the_lock_expires",
                "deploy.NginxSpoofIT#failed_logins_naming_another_address_lock_the_sender_and_not_the_named_address");
        item("S19", "admin.AdminAccessIT#the_admin_signs_in_and_lands_on_the_page_that_asked_for_it_with_a_new_session_id",
                "admin.AdminAccessIT#the_session_cookie_is_http_only_and_same_site_strict",
                "security.HeadersIT#the_admin_session_cookie_is_secure_over_tls_and_the_session_idles_out_after_30_minutes");
        item("S20", "admin.AdminAccessIT#logout_ends_the_session_and_the_old_cookie_leads_back_to_the_login_page",
                "security.HeadersIT#the_admin_session_cookie_is_secure_over_tls_and_the_session_idles_out_after_30_minutes");
        item("S21", "admin.AdminAccessIT#anonymous_admin_pages_redirect_to_the_login_page",
                "admin.AdminAccessIT#a_user_without_the_admin_role_gets_403_on_pages_and_csv",
                "admin.AdminAccessIT#put_delete_and_trace_are_refused_everywhere",
                "security.ErrorPagesIT#put_delete_and_patch_are_405_and_trace_403_on_every_path_echoing_and_storing_nothing");
        item("S22", "admin.AdminAccessIT#the_stored_credential_is_a_salted_slow_hash",
                "admin.auth.PasswordHashTest#jetty_forms_plain_text_and_weak_iteration_counts_are_refused");
        item("S23", "security.LimitsAndBudgetsIT#the_fourth_chat_in_a_minute_is_429_rate_limited_with_retry_after_and_other_visitors_go_on",
                "security.LimitsAndBudgetsIT#one_address_gets_its_chats_per_minute_however_many_visitor_cookies_it_makes_up",
                "security.LimitsAndBudgetsIT#a_third_stream_at_once_is_429_too_many_streams_and_a_place_frees_when_an_answer_ends",
                "security.LimitsAndBudgetsIT#once_the_days_tokens_are_spent_every_node_answers_429_budget_exhausted_until_midnight_utc",
                "security.ForwardedHeadersIT#a_client_that_is_no_trusted_proxy_cannot_dodge_the_per_address_limit_with_forwarded_headers",
                "deploy.NginxSpoofIT#two_hundred_chats_with_made_up_addresses_and_fresh_cookies_are_stopped_by_the_per_address_limit");
        item("S24", "security.PromptInjectionIT#an_injection_finds_no_secret_and_no_tool_in_what_the_model_is_given");
        item("S25", "relay.RelayIT#closing_the_browser_aborts_the_upstream_request_and_stores_client_gone",
                "security.LogsIT#a_browser_that_goes_away_mid_answer_is_one_line_without_a_stack_trace");
        item("S26", "relay.ResilienceIT#a_429_with_retry_after_is_waited_for_then_the_retry_answers",
                "relay.RelayIT#upstream_refusals_before_the_stream_are_json_errors_without_the_upstream_body");
        item("S27", "relay.RelayIT#an_error_object_mid_stream_ends_with_an_error_event_and_keeps_the_partial_answer",
                "relay.ResilienceIT#an_error_event_after_the_first_token_ends_the_answer_with_the_partial_text_and_no_replay");
        item("S28", "relay.RelayIT#bad_input_is_refused_with_a_json_error_and_nothing_goes_upstream",
                "relay.RelayIT#nul_in_model_output_is_replaced_and_flagged_not_lost");
        item("S29", "security.CorsIT#another_origin_gets_no_cors_header_on_any_path_and_its_preflight_is_refused",
                "security.CorsIT#a_listed_origin_gets_itself_and_credentials_back_never_a_wildcard");
    }

    private static void item(String id, String... where) {
        CHECKLIST.put(id, Arrays.asList(where));
    }

    @Test
    void every_item_from_s1_to_s29_has_a_test_or_a_reason() {
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 29; i++) {
            expected.add("S" + i);
        }
        assertEquals(expected, new ArrayList<>(CHECKLIST.keySet()));
    }

    /** The checklist lives in the repository now: an item added to or taken from it must be mapped here too. */
    @Test
    void the_table_maps_exactly_the_items_of_docs_security_checklist() throws Exception {
        String checklist = Files.readString(Path.of("docs", "security-checklist.md"));
        Matcher item = Pattern.compile("(?m)^- \\[ ] (S\\d+) ").matcher(checklist);
        List<String> listed = new ArrayList<>();
        while (item.find()) {
            listed.add(item.group(1));
        }
        assertEquals(listed, new ArrayList<>(CHECKLIST.keySet()));
    }

    @Test
    void every_test_the_table_names_exists() throws Exception {
        for (Map.Entry<String, List<String>> item : CHECKLIST.entrySet()) {
            for (String where : item.getValue()) {
                if (where.startsWith(NOT_APPLICABLE)) {
                    assertTrue(where.length() > NOT_APPLICABLE.length() + 20, item.getKey() + " needs a reason");
                    continue;
                }
                String[] parts = where.split("#");
                Class<?> type = Class.forName("org.chatrelay." + parts[0]);
                boolean found = false;
                for (Method m : type.getDeclaredMethods()) {
                    found |= m.getName().equals(parts[1]);
                }
                assertTrue(found, item.getKey() + ": no method " + where);
            }
            assertFalse(item.getValue().isEmpty(), item.getKey());
        }
    }
}
