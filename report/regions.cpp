#include "report/regions.hpp"

#include <array>

namespace sonae::report {

namespace {

const SupportCentre kEast{
    "山口県東部医療的ケア児支援センター",
    "社会福祉法人鼓ヶ浦整肢学園（総合相談支援センターぱれっと内）",
    "周南市久米752番地4",
    "0834-34-6330",
    "0834-39-2188",
    "palette@tsudumi.jp",
    "9時〜16時（土日祝・年末年始を除く）",
};

const SupportCentre kWest{
    "山口県西部医療的ケア児支援センター",
    "社会福祉法人じねんじょ",
    "下関市生野町2丁目27番7号",
    "083-252-6041",
    "083-252-2259",
    "jinenjo4@jinenjo.or.jp",
    "9時〜16時（土日祝・年末年始を除く）",
};

const SupportCentre kNone{};

const std::vector<Municipality>& table() {
    static const std::vector<Municipality> rows = {
        {"352012", "下関市", Region::west,
         {"下関市こども発達センター", "相談支援事業所フェニックス", "相談支援事業所じねんじょ"}},
        {"352021", "宇部市", Region::west,
         {"サポートスペース創", "リトル・パンビ", "片倉温泉相談支援事業所", "相談支援事業所びお南風"}},
        {"352039", "山口市", Region::west,
         {"子ども発達支援センター愛", "やまぐち障害者生活支援センター", "はあとm＋M新山口",
          "はあと相談支援事業所山口", "相談支援ぶる一む", "子ども発達相談センターぽこ・あ・ぽこ"}},
        {"352047", "萩市", Region::west, {"萩市障害者生活支援センター ほっとすペーす", "萩市健康増進課"}},
        {"352063", "防府市", Region::west,
         {"クローバーセンター", "防府市障害者生活支援センター", "ほのぼの相談室",
          "生きいき相談支援事業所", "相談支援事業所華の浦", "キートス相談支援事業所"}},
        {"352071", "下松市", Region::east,
         {"相談支援センターしょうせい苑", "相談支援事業所Reika", "相談支援事業所げんき"}},
        {"352080", "岩国市", Region::east,
         {"くらし自立応援センターいわくに", "障害者地域生活支援センターしらかば",
          "岩国市障害者サービスセンター", "地域生活支援センタートライアングル",
          "障害者地域生活支援センタープログレス", "はっぴーはうす相談支援事業所部門しあわせ"}},
        {"352101", "光市", Region::east, {"相談支援センターひかり苑", "歩夢ケアプラセンター"}},
        {"352110", "長門市", Region::west,
         {"相談支援事業所いぶき", "長門市障害者相談支援センター", "訪問看護ステーションこころの樹",
          "長門市地域福祉課（障害者基幹相談支援センター）"}},
        {"352128", "柳井市", Region::east,
         {"地域生活支援センターたんぽぽ", "たちばな園相談支援事業所", "児童発達支援あおぞら"}},
        {"352136", "美祢市", Region::west, {"総合相談支援センターみね"}},
        {"352152", "周南市", Region::east,
         {"総合相談支援センター ぱれっと", "相談支援センター 拓未", "五月あけぼの園 相談支援事業所"}},
        {"352161", "山陽小野田市", Region::west,
         {"相談支援事業所のぞみ", "指定障害児相談支援事業所さくら"}},
        {"353051", "周防大島町", Region::east, {"たちばな園相談支援事業所"}},
        {"353213", "和木町", Region::east,
         {"岩国市障害者サービスセンター", "地域活動支援センター トライアングル",
          "障害者地域生活支援センター しらかば"}},
        {"353418", "上関町", Region::east, {"地域生活支援センターたんぽぽ"}},
        {"353434", "田布施町", Region::east, {"地域生活支援センターたんぽぽ"}},
        {"353442", "平生町", Region::east,
         {"地域生活支援センターたんぽぽ", "山口県社会福祉事業団たちばな園相談支援事業所", "あおぞら"}},
        {"355020", "阿武町", Region::west, {"阿武町総合相談センター"}},
    };
    return rows;
}

} // namespace

std::string_view region_label_ja(Region region) {
    switch (region) {
    case Region::east: return "東部";
    case Region::west: return "西部";
    case Region::unknown: return "不明";
    }
    return "不明";
}

const SupportCentre& support_centre(Region region) {
    switch (region) {
    case Region::east: return kEast;
    case Region::west: return kWest;
    case Region::unknown: return kNone;
    }
    return kNone;
}

std::span<const Municipality> municipalities() { return table(); }

const Municipality* find_municipality(std::string_view code) {
    for (const auto& m : table()) {
        if (m.code == code) return &m;
        if (code.size() == 5 && m.code.substr(0, 5) == code) return &m;
    }
    return nullptr;
}

std::string municipality_name(std::string_view code) {
    if (const auto* m = find_municipality(code)) return std::string(m->name_ja);
    return "市町コード " + std::string(code);
}

Region region_of(std::string_view code) {
    if (const auto* m = find_municipality(code)) return m->region;
    return Region::unknown;
}

} // namespace sonae::report
