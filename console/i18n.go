package console

// The console's words, one map per language; zh is the default and the
// fallback for a key missing in en.
var messages = map[string]map[string]string{
	"zh": {
		"brand": "诚信 · 联合奖惩平台", "lang_other": "English", "signin": "登录", "signout": "退出",
		"token": "机构令牌", "signin_title": "机构登录", "signin_hint": "请输入本机构的接口令牌。登录后 8 小时内有效。",
		"bad_token": "令牌无效，请核对后重试。", "forbidden": "无权访问", "forbidden_text": "请求被拒绝（会话已失效或表单已过期）。请返回后重试。",
		"notfound":      "页面不存在",
		"nav_dashboard": "数据大屏", "nav_desk": "核查工作台", "nav_source": "名单发布", "nav_catalog": "目录", "nav_public": "公示查询",
		"today": "今日", "last30": "近 30 日", "entries_active": "在册名单条目", "checks": "核查次数", "hits": "命中次数", "blocks": "拦截次数",
		"feedback_rate": "反馈率", "overdue": "超期未反馈", "allowed_on_block": "拦截后放行", "trend": "近 14 日核查与命中趋势",
		"ranking": "部门履职排名（近 30 日）", "dept": "部门", "median_fb": "反馈中位时长（分钟）", "never_checked": "从未核查的事项",
		"live": "实时", "updated": "更新于",
		"recent_checks": "本机构最近核查", "awaiting": "待反馈的命中", "time": "时间", "item": "事项", "subject": "主体", "id": "证件号码",
		"outcome": "结果", "measures": "惩戒措施", "action": "操作", "note": "备注（放行时必填）", "none": "暂无",
		"fb_intercepted": "已拦截", "fb_restricted": "已限制", "fb_warned": "已提醒", "fb_incentivized": "已激励", "fb_allowed": "放行",
		"feedback_saved": "反馈已记录。",
		"outcome_clear":  "未命中", "outcome_block": "拦截", "outcome_restrict": "限制", "outcome_warn": "提醒", "outcome_incentive": "激励",
		"publish_one": "发布一条名单条目", "list": "名单", "kind": "主体类型", "kind_person": "自然人", "kind_org": "法人/组织",
		"id_type": "证件类型", "name": "名称/姓名", "reason": "列入事由", "legal_basis": "法律依据", "court": "执行法院", "source_ref": "文书编号",
		"publish": "发布", "published": "已发布条目 #", "upload_csv": "批量上传 CSV", "file": "文件", "upload": "上传",
		"accepted": "成功", "rejected": "失败", "row": "行", "error": "错误", "upload_result": "上传结果",
		"recent_entries": "最近变更的条目", "state": "状态", "version": "版本", "history": "历史",
		"mask": "屏蔽", "remove": "移出", "restore": "恢复", "change_reason": "变更事由（必填）", "changed": "条目状态已变更。",
		"state_active": "有效", "state_masked": "已屏蔽", "state_removed": "已移出", "state_expired": "已到期",
		"entry_history": "条目历史", "change": "变更", "actor": "操作机构",
		"lists": "名单", "measures_t": "惩戒/激励措施", "items": "核查事项", "code": "代码", "term_months": "期限（月）", "department": "部门",
		"public_title": "失信/守信名单公示查询", "public_hint": "按名称和/或证件号码查询。证件号码仅显示前 4 位与后 4 位。",
		"search": "查询", "results": "查询结果", "no_results": "未查到有效的名单记录。", "published_at": "公布日期", "list_kind_black": "黑名单", "list_kind_red": "红名单",
		"rate_limited": "查询过于频繁，请稍后再试。", "obligation": "生效法律文书确定的义务", "performance": "履行情况", "province": "省份",
	},
	"en": {
		"brand": "chengxin · Joint Credit Rewards and Punishments", "lang_other": "中文", "signin": "Sign in", "signout": "Sign out",
		"token": "Organisation token", "signin_title": "Organisation sign-in", "signin_hint": "Enter your organisation's API token. You stay signed in for 8 hours.",
		"bad_token": "Invalid token; please check it and try again.", "forbidden": "Forbidden", "forbidden_text": "The request was refused (session ended or form expired). Go back and try again.",
		"notfound":      "Page not found",
		"nav_dashboard": "Dashboard", "nav_desk": "Check desk", "nav_source": "Publishing", "nav_catalog": "Catalog", "nav_public": "Public search",
		"today": "Today", "last30": "Last 30 days", "entries_active": "Entries in force", "checks": "Checks", "hits": "Hits", "blocks": "Blocks",
		"feedback_rate": "Feedback rate", "overdue": "Overdue feedback", "allowed_on_block": "Allowed on block", "trend": "Checks and hits, last 14 days",
		"ranking": "Department ranking (30 days)", "dept": "Department", "median_fb": "Median feedback (min)", "never_checked": "Items never checked",
		"live": "Live", "updated": "updated",
		"recent_checks": "Recent checks", "awaiting": "Hits awaiting feedback", "time": "Time", "item": "Item", "subject": "Subject", "id": "ID number",
		"outcome": "Outcome", "measures": "Measures", "action": "Action", "note": "Note (required to allow)", "none": "None",
		"fb_intercepted": "Intercepted", "fb_restricted": "Restricted", "fb_warned": "Warned", "fb_incentivized": "Incentivized", "fb_allowed": "Allowed",
		"feedback_saved": "Feedback recorded.",
		"outcome_clear":  "Clear", "outcome_block": "Block", "outcome_restrict": "Restrict", "outcome_warn": "Warn", "outcome_incentive": "Incentive",
		"publish_one": "Publish an entry", "list": "List", "kind": "Subject kind", "kind_person": "Person", "kind_org": "Organisation",
		"id_type": "ID type", "name": "Name", "reason": "Reason", "legal_basis": "Legal basis", "court": "Court", "source_ref": "Document number",
		"publish": "Publish", "published": "Published entry #", "upload_csv": "Upload a CSV", "file": "File", "upload": "Upload",
		"accepted": "Accepted", "rejected": "Rejected", "row": "Row", "error": "Error", "upload_result": "Upload result",
		"recent_entries": "Recently changed entries", "state": "State", "version": "Version", "history": "History",
		"mask": "Mask", "remove": "Remove", "restore": "Restore", "change_reason": "Reason (required)", "changed": "Entry state changed.",
		"state_active": "Active", "state_masked": "Masked", "state_removed": "Removed", "state_expired": "Expired",
		"entry_history": "Entry history", "change": "Change", "actor": "By",
		"lists": "Lists", "measures_t": "Measures", "items": "Check items", "code": "Code", "term_months": "Term (months)", "department": "Department",
		"public_title": "Public blacklist and redlist search", "public_hint": "Search by name and/or ID number. ID numbers show only their first 4 and last 4 characters.",
		"search": "Search", "results": "Results", "no_results": "No active list entry found.", "published_at": "Published", "list_kind_black": "Blacklist", "list_kind_red": "Redlist",
		"rate_limited": "Too many searches; please try again shortly.", "obligation": "Obligation", "performance": "Performance", "province": "Province",
	},
}

// words returns lang's words with the Chinese ones filling any gap.
func words(lang string) map[string]string {
	if lang != "en" {
		return messages["zh"]
	}
	out := make(map[string]string, len(messages["zh"]))
	for k, v := range messages["zh"] {
		out[k] = v
	}
	for k, v := range messages["en"] {
		out[k] = v
	}
	return out
}
