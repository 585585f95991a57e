/*
 * routes.c: the route table. Every endpoint, its roles and its handler, in one place;
 * api/openapi.yaml documents exactly these (a test compares them both ways).
 */
#include "api/handlers.h"

#include "base/check.h"

#define ANY_OPS      ROLES_OPS
#define OPS_ADMIN    ROLE_BIT(ROLE_OPS_ADMIN)
#define AUDITORS     (ROLE_BIT(ROLE_OPS_ADMIN) | ROLE_BIT(ROLE_OPS_RISK))
#define INST_ADMIN   ROLE_BIT(ROLE_INST_ADMIN)
#define INST_EDITORS (ROLE_BIT(ROLE_INST_ADMIN) | ROLE_BIT(ROLE_INST_OPERATOR))
#define INVESTOR     ROLE_BIT(ROLE_INVESTOR)
#define REVIEWERS    (ROLE_BIT(ROLE_OPS_ADMIN) | ROLE_BIT(ROLE_OPS_REVIEWER))
#define DECIDERS     (ROLE_BIT(ROLE_OPS_ADMIN) | ROLE_BIT(ROLE_OPS_RISK))

const struct route api_routes[] = {
    {M_GET, "/healthz", ROLES_PUBLIC, http_healthz, ROUTE_UNLIMITED},
    {M_GET, "/readyz", ROLES_PUBLIC, http_readyz, ROUTE_UNLIMITED},
    {M_GET, "/metrics", ROLES_PUBLIC, http_metrics, ROUTE_UNLIMITED},
    {M_GET, "/api/v1/openapi.json", ROLES_PUBLIC, http_openapi, 0},
    {M_GET, "/api/v1/public/institutions", ROLES_PUBLIC, api_public_institutions, 0},
    {M_POST, "/api/v1/auth/register", ROLES_PUBLIC, api_register, 0},
    {M_POST, "/api/v1/auth/login", ROLES_PUBLIC, api_login, 0},
    {M_POST, "/api/v1/auth/accept-invite", ROLES_PUBLIC, api_accept_invite, 0},
    {M_POST, "/api/v1/auth/logout", ROLES_SIGNED_IN, api_logout, 0},
    {M_GET, "/api/v1/me", ROLES_SIGNED_IN, api_me, 0},
    {M_POST, "/api/v1/me/password", ROLES_SIGNED_IN, api_password, 0},
    {M_GET, "/api/v1/ops/institutions", ANY_OPS, api_ops_inst_list, 0},
    {M_POST, "/api/v1/ops/institutions", OPS_ADMIN, api_ops_inst_create, 0},
    {M_GET, "/api/v1/ops/institutions/{id}", ANY_OPS, api_ops_inst_get, 0},
    {M_POST, "/api/v1/ops/institutions/{id}/status", OPS_ADMIN, api_ops_inst_status, 0},
    {M_GET, "/api/v1/ops/institutions/{id}/staff", ANY_OPS, api_ops_staff_list, 0},
    {M_POST, "/api/v1/ops/institutions/{id}/staff", OPS_ADMIN, api_ops_staff_invite, 0},
    {M_GET, "/api/v1/ops/audit", AUDITORS, api_ops_audit_list, 0},
    {M_GET, "/api/v1/ops/audit/verify", AUDITORS, api_ops_audit_verify, 0},
    {M_GET, "/api/v1/inst/institution", ROLES_INST, api_inst_self, 0},
    {M_GET, "/api/v1/inst/staff", ROLES_INST, api_inst_staff_list, 0},
    {M_POST, "/api/v1/inst/staff", INST_ADMIN, api_inst_staff_invite, 0},
    {M_PATCH, "/api/v1/inst/staff/{id}", INST_ADMIN, api_inst_staff_update, 0},
    {M_GET, "/uploads/{id}", ROLES_PUBLIC, api_upload_get, 0},
    {M_POST, "/api/v1/inst/uploads", INST_EDITORS, api_inst_upload, 0},
    {M_GET, "/api/v1/inst/zone", ROLES_INST, api_inst_zone, 0},
    {M_PUT, "/api/v1/inst/zone", INST_EDITORS, api_inst_zone_submit, 0},
    {M_GET, "/api/v1/ops/review", ANY_OPS, api_ops_review, 0},
    {M_GET, "/api/v1/ops/lexicon", ANY_OPS, api_ops_lexicon, 0},
    {M_GET, "/api/v1/public/zones/{id}/questions", ROLES_PUBLIC, api_public_questions, 0},
    {M_GET, "/api/v1/investor/questions", INVESTOR, api_inv_questions, 0},
    {M_POST, "/api/v1/investor/questions", INVESTOR, api_inv_ask, 0},
    {M_GET, "/api/v1/inst/questions", ROLES_INST, api_inst_questions, 0},
    {M_POST, "/api/v1/inst/questions/{id}/answer", INST_EDITORS, api_inst_answer, 0},
    {M_POST, "/api/v1/ops/questions/{id}/decision", REVIEWERS, api_ops_question_decide, 0},
    {M_POST, "/api/v1/ops/lexicon", REVIEWERS, api_ops_lexicon_publish, 0},
    {M_GET, "/api/v1/inst/contents", ROLES_INST, api_inst_content_list, 0},
    {M_POST, "/api/v1/inst/contents", INST_EDITORS, api_inst_content_create, 0},
    {M_POST, "/api/v1/inst/contents/check", ROLES_INST, api_inst_content_check, 0},
    {M_PUT, "/api/v1/inst/contents/{id}", INST_EDITORS, api_inst_content_update, 0},
    {M_GET, "/api/v1/public/contents/{id}", ROLES_PUBLIC, api_public_content, 0},
    {M_POST, "/api/v1/ops/contents/{id}/versions/{version}/decision", REVIEWERS,
     api_ops_content_decide, 0},
    {M_POST, "/api/v1/ops/contents/{id}/takedown", REVIEWERS, api_ops_content_takedown, 0},
    {M_POST, "/api/v1/ops/zones/{id}/decision", REVIEWERS, api_ops_zone_decide, 0},
    {M_GET, "/api/v1/public/zones/{id}", ROLES_PUBLIC, api_public_zone, 0},
    {M_GET, "/api/v1/investor/follows", INVESTOR, api_inv_follows, 0},
    {M_GET, "/api/v1/investor/consents/{id}", INVESTOR, api_inv_consent_get, 0},
    {M_POST, "/api/v1/investor/consents/{id}", INVESTOR, api_inv_consent_grant, 0},
    {M_DELETE, "/api/v1/investor/consents/{id}", INVESTOR, api_inv_consent_revoke, 0},
    {M_GET, "/api/v1/inst/customers", ROLES_INST, api_inst_customers, 0},
    {M_POST, "/api/v1/investor/follows/{id}", INVESTOR, api_inv_follow, 0},
    {M_DELETE, "/api/v1/investor/follows/{id}", INVESTOR, api_inv_unfollow, 0},
    {M_GET, "/api/v1/public/products", ROLES_PUBLIC, api_public_product_list, 0},
    {M_GET, "/api/v1/public/products/{id}", ROLES_PUBLIC, api_public_product_get, 0},
    {M_GET, "/api/v1/public/products/{id}/navs", ROLES_PUBLIC, api_public_navs, 0},
    {M_GET, "/api/v1/inst/products", ROLES_INST, api_inst_product_list, 0},
    {M_POST, "/api/v1/inst/products", INST_EDITORS, api_inst_product_create, 0},
    {M_GET, "/api/v1/inst/products/{id}", ROLES_INST, api_inst_product_get, 0},
    {M_POST, "/api/v1/inst/products/{id}/status", INST_EDITORS, api_inst_product_status, 0},
    {M_POST, "/api/v1/inst/products/{id}/navs", INST_EDITORS, api_inst_nav_publish, 0},
    {M_POST, "/api/v1/inst/products/{id}/navs.csv", INST_EDITORS, api_inst_nav_upload, 0},
    {M_POST, "/api/v1/inst/products/{id}/navs/{date}/reject", INST_EDITORS, api_inst_nav_reject, 0},
    {M_POST, "/api/v1/inst/products/{id}/navs/{date}/confirm", INST_EDITORS, api_inst_nav_confirm,
     0},
    {M_GET, "/api/v1/investor/profile", INVESTOR, api_inv_profile_get, 0},
    {M_PUT, "/api/v1/investor/profile", INVESTOR, api_inv_profile_put, 0},
    {M_GET, "/api/v1/investor/questionnaire", INVESTOR, api_inv_questionnaire, 0},
    {M_GET, "/api/v1/investor/assessment", INVESTOR, api_inv_assessment, 0},
    {M_POST, "/api/v1/investor/assessments", INVESTOR, api_inv_assess, 0},
    {M_GET, "/api/v1/investor/cash", INVESTOR, api_inv_cash, 0},
    {M_POST, "/api/v1/investor/cash/topup", INVESTOR, api_inv_topup, 0},
    {M_POST, "/api/v1/investor/cash/withdraw", INVESTOR, api_inv_withdraw, 0},
    {M_GET, "/api/v1/investor/orders", INVESTOR, api_inv_order_list, 0},
    {M_POST, "/api/v1/investor/orders", INVESTOR, api_inv_order_place, 0},
    {M_GET, "/api/v1/investor/orders/{id}", INVESTOR, api_inv_order_get, 0},
    {M_POST, "/api/v1/investor/orders/{id}/cancel", INVESTOR, api_inv_order_cancel, 0},
    {M_GET, "/api/v1/investor/holdings", INVESTOR, api_inv_holdings, 0},
    {M_GET, "/api/v1/investor/statement", INVESTOR, api_inv_statement, 0},
    {M_GET, "/api/v1/investor/professional", INVESTOR, api_inv_professional_get, 0},
    {M_POST, "/api/v1/investor/professional", INVESTOR, api_inv_professional_apply, 0},
    {M_GET, "/api/v1/ops/professional", ANY_OPS, api_ops_professional_list, 0},
    {M_GET, "/api/v1/ops/calendar", ANY_OPS, api_ops_calendar, 0},
    {M_GET, "/api/v1/ops/questionnaire", ANY_OPS, api_ops_questionnaire, 0},
    {M_POST, "/api/v1/ops/questionnaire", DECIDERS, api_ops_questionnaire_publish, 0},
    {M_POST, "/api/v1/ops/calendar/closures", OPS_ADMIN, api_ops_calendar_closure, 0},
    {M_POST, "/api/v1/ops/calendar/years", OPS_ADMIN, api_ops_calendar_year, 0},
    {M_POST, "/api/v1/ops/professional/{id}/decision", DECIDERS, api_ops_professional_decide, 0},
};

const size_t api_routes_count = ARRAY_LEN(api_routes);
