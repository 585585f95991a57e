/* handlers.h: every handler in the route table (src/api/routes.c). */
#ifndef CFH_HANDLERS_H
#define CFH_HANDLERS_H

#include "api/api.h"
#include "http/http.h"

/* auth.c */
void api_register(struct req *r);
void api_login(struct req *r);
void api_logout(struct req *r);
void api_me(struct req *r);
void api_password(struct req *r);
void api_accept_invite(struct req *r);

/* public.c */
void api_public_institutions(struct req *r);

/* ops_institutions.c */
void api_ops_inst_list(struct req *r);
void api_ops_inst_create(struct req *r);
void api_ops_inst_get(struct req *r);
void api_ops_inst_status(struct req *r);
void api_ops_staff_list(struct req *r);
void api_ops_staff_invite(struct req *r);

/* ops_audit.c */
void api_ops_audit_list(struct req *r);
void api_ops_audit_verify(struct req *r);

/* inst_staff.c */
void api_inst_self(struct req *r);
void api_inst_staff_list(struct req *r);
void api_inst_staff_invite(struct req *r);
void api_inst_staff_update(struct req *r);

/* investor_cash.c */
void api_inv_cash(struct req *r);
void api_inv_topup(struct req *r);
void api_inv_withdraw(struct req *r);

/* products.c */
void api_inst_product_create(struct req *r);
void api_inst_product_list(struct req *r);
void api_inst_product_get(struct req *r);
void api_inst_product_status(struct req *r);
void api_public_product_list(struct req *r);
void api_public_product_get(struct req *r);

/* orders.c, orders_read.c */
void api_inv_order_place(struct req *r);
void api_inv_order_cancel(struct req *r);
void api_inv_redemption_quote(struct req *r);
void api_inv_order_get(struct req *r);
void api_inv_order_list(struct req *r);
void api_inv_holdings(struct req *r);
void api_inv_holding_income(struct req *r);
void api_inv_statement(struct req *r);

/* investor_profile.c */
void api_inv_questionnaire(struct req *r);
void api_inv_assess(struct req *r);
void api_inv_assessment(struct req *r);
void api_inv_profile_put(struct req *r);
void api_inv_profile_get(struct req *r);

/* navs.c */
void api_inst_nav_publish(struct req *r);
void api_inst_nav_confirm(struct req *r);
void api_inst_navs_held(struct req *r);
void api_inst_trades(struct req *r);
void api_inst_trades_csv(struct req *r);
void api_inst_nav_upload(struct req *r);
void api_inst_nav_reject(struct req *r);
void api_public_navs(struct req *r);

/* professional.c */
void api_inv_professional_apply(struct req *r);
void api_inv_professional_get(struct req *r);
void api_ops_professional_list(struct req *r);
void api_ops_professional_decide(struct req *r);

/* calendar_ops.c */
void api_ops_calendar(struct req *r);
void api_ops_calendar_closure(struct req *r);
void api_ops_calendar_year(struct req *r);

/* questionnaires.c */
void api_ops_questionnaire(struct req *r);
void api_ops_questionnaire_publish(struct req *r);

/* uploads.c */
void api_inst_upload(struct req *r);
void api_upload_get(struct req *r);

/* zones.c */
void api_inst_zone(struct req *r);
void api_inst_zone_submit(struct req *r);
void api_ops_zone_decide(struct req *r);
void api_public_zone(struct req *r);
void api_ops_review(struct req *r);
void api_inv_follow(struct req *r);
void api_inv_unfollow(struct req *r);
void api_inv_follows(struct req *r);

/* contents.c */
void api_inst_content_create(struct req *r);
void api_inst_content_update(struct req *r);
void api_inst_content_check(struct req *r);
void api_inst_content_list(struct req *r);
void api_public_content(struct req *r);
void api_ops_content_decide(struct req *r);
void api_ops_content_takedown(struct req *r);
/* The held content versions for the review queue, appended to items. */
enum store_rc api_content_review_items(struct store_conn *c, json_t *items, struct store_err *err);
/* Takes a published content down inside a write, as the takedown route does (moderation
 * decision and audit included); API_ABORT_NOT_FOUND when nothing of it is published. */
enum store_rc api_content_take_down(struct store_conn *c, int64_t id, const char *reason,
                                    const struct api_actor *actor, int64_t now_ms,
                                    struct store_err *err);

/* lexicons.c */
void api_ops_lexicon(struct req *r);
void api_ops_lexicon_publish(struct req *r);

/* questions.c */
void api_public_questions(struct req *r);
void api_inst_questions(struct req *r);
void api_inv_questions(struct req *r);
void api_inv_ask(struct req *r);
void api_inst_answer(struct req *r);
void api_ops_question_decide(struct req *r);
/* The held questions for the review queue, appended to items. */
enum store_rc api_question_review_items(struct store_conn *c, json_t *items, struct store_err *err);

/* consents.c */
void api_inv_consent_get(struct req *r);
void api_inv_consent_grant(struct req *r);
void api_inv_consent_revoke(struct req *r);
void api_inst_customers(struct req *r);

/* messages.c */
void api_inst_message_send(struct req *r);
void api_inst_messages(struct req *r);
void api_ops_message_decide(struct req *r);
/* The held messages for the review queue, appended to items. */
enum store_rc api_message_review_items(struct store_conn *c, json_t *items, struct store_err *err);

/* inbox.c */
void api_inv_inbox(struct req *r);
void api_inv_inbox_unread(struct req *r);
void api_inv_message_read(struct req *r);
void api_inv_messages_read_all(struct req *r);
void api_inv_mutes(struct req *r);
void api_inv_mute(struct req *r);
void api_inv_unmute(struct req *r);

/* feed.c */
void api_inv_feed(struct req *r);

/* notify.c: the signed-in user's own notifications (staff and investors alike) */
void api_notifications(struct req *r);
void api_notification_read(struct req *r);
void api_notifications_read_all(struct req *r);
/* comments.c */
void api_public_comments(struct req *r);
void api_inv_comments(struct req *r);
void api_inv_comment(struct req *r);
void api_inv_comment_delete(struct req *r);
void api_ops_comment_decide(struct req *r);
/* The held comments for the review queue, appended to items. */
enum store_rc api_comment_review_items(struct store_conn *c, json_t *items, struct store_err *err);

/* reports.c */
void api_inv_report(struct req *r);
void api_inv_reports(struct req *r);
void api_ops_report_resolve(struct req *r);
/* Targets with open reports for the review queue, appended to items: each with its reports,
 * its texts and the compliance check of them now (through s). */
enum store_rc api_report_review_items(struct store *s, struct store_conn *c, json_t *items,
                                      struct store_err *err);

/* managers.c */
void api_inst_managers(struct req *r);
void api_inst_manager_create(struct req *r);
void api_inst_manager_update(struct req *r);
void api_inst_manager_remove(struct req *r);
void api_public_manager(struct req *r);
void api_ops_manager_decide(struct req *r);
/* The pending fund manager versions for the review queue, appended to items. */
enum store_rc api_manager_review_items(struct store_conn *c, json_t *items, struct store_err *err);
/* The live fund managers of a zone, as the public sees them, appended to out. */
enum store_rc api_zone_managers(struct store_conn *c, int64_t inst, json_t *out,
                                struct store_err *err);

/* campaigns.c, campaigns_state.c, campaigns_ops.c */
void api_inst_campaigns(struct req *r);
void api_inst_campaign_create(struct req *r);
void api_inst_campaign_get(struct req *r);
void api_inst_campaign_edit(struct req *r);
void api_inst_campaign_submit(struct req *r);
void api_inst_campaign_withdraw(struct req *r);
void api_inst_campaign_stop(struct req *r);
void api_inst_campaign_report(struct req *r);
void api_ops_campaign_decide(struct req *r);

/* marketing.c */
void api_inv_marketing_get(struct req *r);
void api_inv_product_campaigns(struct req *r);
void api_inv_marketing_put(struct req *r);

/* search.c */
void api_public_search(struct req *r);

/* events.c */
void api_events_ingest(struct req *r);

/* marketing.c */

/* dashboards.c */
void api_inst_dashboard(struct req *r);
void api_inst_dashboard_csv(struct req *r);
void api_inst_dashboard_segments(struct req *r);
void api_inst_dashboard_segments_csv(struct req *r);
void api_inst_dashboard_product(struct req *r);
void api_ops_dashboard(struct req *r);
void api_ops_dashboard_segments(struct req *r);
/* fair_rules.c */
void api_ops_fair_rules(struct req *r);
void api_ops_fair_rule_create(struct req *r);
void api_ops_fair_rule_get(struct req *r);
void api_ops_fair_rule_update(struct req *r);
void api_ops_fair_rule_publish(struct req *r);
void api_public_fair_rules(struct req *r);
void api_public_fair_rule(struct req *r);

/* fair_days.c */
void api_public_fair_days(struct req *r);
void api_public_fair_day(struct req *r);
void api_public_fair_key(struct req *r);
void api_inst_fair_score(struct req *r);
void api_ops_fair_delivery(struct req *r);
void api_ops_inst_platform_own(struct req *r);

/* recommend.c */
void api_public_recommendations(struct req *r);

#endif
