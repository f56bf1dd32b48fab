package synth

import (
	"math/rand/v2"
	"time"
)

// source is an intake channel: its share of reports, whether its reports
// name a reporter, how long before the report the event typically
// happened, and how its reports spread over the categories.
type source struct {
	name     string
	weight   float64
	reporter bool
	delay    time.Duration
	// categories weighs Categories by index; nil: their own weights.
	categories []float64
}

// category is a kind of incident: its share of reports, the median and
// spread (σ of the log) of its handling time, and sample descriptions.
type category struct {
	name         string
	weight       float64
	median       time.Duration
	sigma        float64
	descriptions []string
}

// Sources are the intake channels of the generator, most frequent first:
// the 12345 hotline, grid workers' patrols through their phones, WeChat
// reports, 110 referrals, sensors and police patrols.
var sources = []source{
	{name: "12345", weight: 0.38, reporter: true, delay: 6 * time.Hour},
	{name: "grid_worker", weight: 0.27, delay: 2 * time.Hour},
	{name: "wechat", weight: 0.15, reporter: true, delay: 12 * time.Hour},
	{name: "110", weight: 0.10, reporter: true, delay: 30 * time.Minute,
		categories: []float64{0.05, 0.15, 0.35, 0.02, 0.03, 0.35, 0.02, 0.03}},
	{name: "sensor", weight: 0.06, delay: 2 * time.Minute,
		categories: []float64{0.15, 0.45, 0, 0.10, 0.30, 0, 0, 0}},
	{name: "patrol", weight: 0.04, delay: time.Hour,
		categories: []float64{0.20, 0.25, 0.15, 0.05, 0.05, 0.25, 0.02, 0.03}},
}

// categories are the incident categories (issue 17's list), with
// handling times around their usual deadlines (市容环境 24 h, 安全隐患
// 12 h, the rest 72 h), so that a few per cent run over.
var categories = []category{
	{"市容环境", 0.27, 7 * time.Hour, 0.9, []string{"道路旁垃圾堆放未清运", "占道经营", "乱张贴小广告", "绿化带内杂物堆积"}},
	{"安全隐患", 0.12, 4 * time.Hour, 0.8, []string{"楼道堆放杂物堵塞消防通道", "电动车楼道内充电", "井盖缺失", "外墙空鼓有坠落风险"}},
	{"矛盾纠纷", 0.11, 30 * time.Hour, 1.0, []string{"邻里噪音纠纷", "物业费纠纷", "宅基地边界纠纷", "劳资纠纷讨要工资"}},
	{"公共设施", 0.14, 20 * time.Hour, 0.9, []string{"路灯不亮", "健身器材损坏", "公交站牌破损", "窨井盖松动"}},
	{"环境保护", 0.09, 24 * time.Hour, 0.9, []string{"河道漂浮物", "企业夜间排放异味", "工地扬尘", "露天焚烧秸秆"}},
	{"治安", 0.06, 10 * time.Hour, 0.9, []string{"可疑人员徘徊", "电动车被盗", "群租房安全隐患", "深夜聚集喧哗"}},
	{"民生服务", 0.15, 26 * time.Hour, 0.9, []string{"独居老人需上门探访", "低保申请咨询", "医保参保咨询", "小区停水"}},
	{"其他", 0.06, 24 * time.Hour, 1.0, []string{"其他事项", "建议与意见", "咨询"}},
}

// SourceNames returns the names of the generator's intake channels, most
// frequent first, and CategoryNames those of its categories.
func SourceNames() []string {
	out := make([]string, len(sources))
	for i, s := range sources {
		out[i] = s.name
	}
	return out
}

// CategoryNames returns the incident categories the generator draws from.
func CategoryNames() []string {
	out := make([]string, len(categories))
	for i, c := range categories {
		out[i] = c.name
	}
	return out
}

// pick draws a source by weight.
func pick(rng *rand.Rand, list []source) *source {
	x := rng.Float64()
	for i := range list {
		if x -= list[i].weight; x < 0 {
			return &list[i]
		}
	}
	return &list[len(list)-1]
}

// pickCategory draws a category by the source's weights.
func pickCategory(rng *rand.Rand, s *source) *category {
	total := 0.0
	for i := range categories {
		total += categoryWeight(s, i)
	}
	x := rng.Float64() * total
	for i := range categories {
		if x -= categoryWeight(s, i); x < 0 {
			return &categories[i]
		}
	}
	return &categories[len(categories)-1]
}

func categoryWeight(s *source, i int) float64 {
	if s.categories != nil {
		return s.categories[i]
	}
	return categories[i].weight
}
