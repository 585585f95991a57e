/* segment.c: dashboard segments and small-cell suppression (see segment.h). */
#include "core/segment.h"

#include "base/check.h"

#include <string.h>

const unsigned seg_funnel_mask[SEG_FUNNEL_STEPS] = {
    SEG_F_ZONE_VIEW,
    SEG_F_ZONE_VIEW | SEG_F_PRODUCT_VIEW,
    SEG_F_ZONE_VIEW | SEG_F_PRODUCT_VIEW | SEG_F_ORDER_STARTED,
    SEG_F_ZONE_VIEW | SEG_F_PRODUCT_VIEW | SEG_F_ORDER_STARTED | SEG_F_ORDER_PLACED,
};

static const char *const dimension_names[SEG_DIMENSION_COUNT] = {"new_returning", "risk_class",
                                                                 "age_band", "region"};

static const char *const nr_keys[] = {"new", "returning"};
static const char *const nr_labels[] = {"新访客 new", "老访客 returning"};
static const char *const risk_keys[SEG_RISK_CLASSES] = {"unassessed", "C1", "C2", "C3", "C4", "C5"};
static const char *const risk_labels[SEG_RISK_CLASSES] = {
    "未评估 unassessed", "C1 保守型", "C2 稳健型", "C3 平衡型", "C4 成长型", "C5 进取型"};
static const char *const age_keys[SEG_AGE_BANDS] = {"unknown", "under_25", "25_34",  "35_44",
                                                    "45_54",   "55_64",    "65_plus"};
static const char *const age_labels[SEG_AGE_BANDS] = {"未知 unknown", "<25",   "25-34", "35-44",
                                                      "45-54",        "55-64", "65+"};

/* GB/T 2260 provincial divisions, by the first two digits of a resident ID. */
static const struct {
    int code;
    const char *key, *label;
} provinces[SEG_CELLS_MAX - 1] = {
    {11, "11", "北京"},   {12, "12", "天津"}, {13, "13", "河北"}, {14, "14", "山西"},
    {15, "15", "内蒙古"}, {21, "21", "辽宁"}, {22, "22", "吉林"}, {23, "23", "黑龙江"},
    {31, "31", "上海"},   {32, "32", "江苏"}, {33, "33", "浙江"}, {34, "34", "安徽"},
    {35, "35", "福建"},   {36, "36", "江西"}, {37, "37", "山东"}, {41, "41", "河南"},
    {42, "42", "湖北"},   {43, "43", "湖南"}, {44, "44", "广东"}, {45, "45", "广西"},
    {46, "46", "海南"},   {50, "50", "重庆"}, {51, "51", "四川"}, {52, "52", "贵州"},
    {53, "53", "云南"},   {54, "54", "西藏"}, {61, "61", "陕西"}, {62, "62", "甘肃"},
    {63, "63", "青海"},   {64, "64", "宁夏"}, {65, "65", "新疆"}, {71, "71", "台湾"},
    {81, "81", "香港"},   {82, "82", "澳门"},
};

enum seg_dimension seg_dimension_parse(const char *s)
{
    for (int d = 0; s != NULL && d < SEG_DIMENSION_COUNT; d++)
        if (strcmp(s, dimension_names[d]) == 0)
            return (enum seg_dimension)d;
    return SEG_DIMENSION_COUNT;
}

const char *seg_dimension_name(enum seg_dimension d)
{
    ASSERT(d < SEG_DIMENSION_COUNT);
    return dimension_names[d];
}

size_t seg_cell_count(enum seg_dimension d)
{
    switch (d) {
    case SEG_NEW_RETURNING:
        return ARRAY_LEN(nr_keys);
    case SEG_RISK_CLASS:
        return SEG_RISK_CLASSES;
    case SEG_AGE_BAND:
        return SEG_AGE_BANDS;
    case SEG_REGION:
        return SEG_CELLS_MAX; /* "unknown" first, then the provinces */
    case SEG_DIMENSION_COUNT:
        break;
    }
    BUG("unknown segment dimension");
}

static const char *cell_text(enum seg_dimension d, size_t i, bool label)
{
    ASSERT(i < seg_cell_count(d));
    switch (d) {
    case SEG_NEW_RETURNING:
        return label ? nr_labels[i] : nr_keys[i];
    case SEG_RISK_CLASS:
        return label ? risk_labels[i] : risk_keys[i];
    case SEG_AGE_BAND:
        return label ? age_labels[i] : age_keys[i];
    case SEG_REGION:
        if (i == 0)
            return label ? "未知 unknown" : "unknown";
        return label ? provinces[i - 1].label : provinces[i - 1].key;
    case SEG_DIMENSION_COUNT:
        break;
    }
    BUG("unknown segment dimension");
}

const char *seg_cell_key(enum seg_dimension d, size_t i)
{
    return cell_text(d, i, false);
}

const char *seg_cell_label(enum seg_dimension d, size_t i)
{
    return cell_text(d, i, true);
}

int seg_age_band(struct civil_date birth, struct civil_date on)
{
    if (civil_date_cmp(birth, on) > 0)
        return 0;
    int32_t age = on.year - birth.year;
    /* Not yet had this year's birthday. Someone born on 29 February is a year older on
     * 1 March of other years: (month, day) = (2, 29) sorts after (2, 28). */
    if (on.month < birth.month || (on.month == birth.month && on.day < birth.day))
        age--;
    static const int32_t upper[] = {25, 35, 45, 55, 65}; /* exclusive upper ages of bands 1..5 */
    for (size_t b = 0; b < ARRAY_LEN(upper); b++)
        if (age < upper[b])
            return (int)b + 1;
    return 6;
}

int seg_region(const char *s, size_t len)
{
    if (s == NULL || len < 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return 0;
    int code = (s[0] - '0') * 10 + (s[1] - '0');
    for (size_t i = 0; i < ARRAY_LEN(provinces); i++)
        if (provinces[i].code == code)
            return code;
    return 0;
}

static size_t region_cell(int code)
{
    for (size_t i = 0; i < ARRAY_LEN(provinces); i++)
        if (provinces[i].code == code)
            return i + 1;
    return 0;
}

size_t seg_cell_of(enum seg_dimension d, const struct seg_investor *inv)
{
    switch (d) {
    case SEG_NEW_RETURNING:
        return inv->is_new ? 0 : 1;
    case SEG_RISK_CLASS:
        return inv->risk_class >= 1 && inv->risk_class <= 5 ? (size_t)inv->risk_class : 0;
    case SEG_AGE_BAND:
        return inv->age_band >= 1 && inv->age_band < SEG_AGE_BANDS ? (size_t)inv->age_band : 0;
    case SEG_REGION:
        return region_cell(inv->region);
    case SEG_DIMENSION_COUNT:
        break;
    }
    BUG("unknown segment dimension");
}

size_t seg_suppress(const int64_t *counts, size_t n, int64_t k, bool *hide)
{
    ASSERT(k >= 1 && n <= SEG_CELLS_MAX);
    size_t hidden = 0;
    int64_t hidden_sum = 0;
    for (size_t i = 0; i < n; i++) {
        ASSERT(counts[i] >= 0);
        hide[i] = counts[i] > 0 && counts[i] < k;
        hidden += hide[i];
        hidden_sum += hide[i] ? counts[i] : 0;
    }
    /* Each round hides one more cell, so at most n rounds. */
    while (hidden > 0 && hidden_sum < k && hidden < n) {
        size_t pick = n;
        for (size_t i = 0; i < n; i++)
            if (!hide[i] && counts[i] > 0 && (pick == n || counts[i] < counts[pick]))
                pick = i;
        if (pick == n)
            break; /* every non-zero cell is hidden already */
        hide[pick] = true;
        hidden++;
        hidden_sum += counts[pick];
    }
    if (hidden > 0 && hidden_sum < k) {
        for (size_t i = 0; i < n; i++)
            hide[i] = true;
        hidden = n;
    }
    return hidden;
}
