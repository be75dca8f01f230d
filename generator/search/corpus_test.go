package search

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// englishDocs is a small guidance site under the base path /guide/. The
// ranking and browser tests reason about it, so change it with care.
func englishDocs() []Doc {
	return []Doc{
		{URL: "/guide/tax/sales-tax/", Title: "Sales tax registration", Section: "Tax changes", SectionKey: "tax", Parts: []Part{
			{"", "", "Every online seller whose turnover passes the threshold must register for sales tax with the FBR. Registration is free and done on the IRIS portal."},
			{"who-must-register", "Who must register", "Sellers with turnover above Rs 10 million in a year, and every seller who imports goods, must register. Sellers below the threshold may register voluntarily."},
			{"rates", "Rates", "The standard rate of sales tax is 18%. Some goods are taxed at reduced rates, and exports are zero-rated."},
			{"filing", "Filing returns", "Registered sellers file a monthly sales tax return by the 18th of the following month."},
		}},
		{URL: "/guide/tax/income-tax/", Title: "Income tax for online sellers", Section: "Tax changes", SectionKey: "tax", Parts: []Part{
			{"", "", "Income tax applies to the profit from online selling. Keep records of every sale, expense and refund."},
			{"withholding", "Withholding by marketplaces", "Marketplaces deduct withholding tax on payments to sellers; the deduction counts toward your income tax."},
		}},
		{URL: "/guide/tax/myths/", Title: "Tax myths", Section: "Tax changes", SectionKey: "tax", Parts: []Part{
			{"", "", "Myth: small sellers never pay tax. Fact: the tax sales threshold is what decides it, not the size of your shop."},
		}},
		{URL: "/guide/tax/records/", Title: "Keeping records", Section: "Tax changes", SectionKey: "tax", Parts: []Part{
			{"", "", strings.Repeat("Keep simple records of stock and of money in and out. ", 3) + "Reconcile your inventory with your sales every month, and keep receipts for five years."},
		}},
		{URL: "/guide/pay/ibft/", Title: "Bank transfers (IBFT)", Section: "Payments", SectionKey: "pay", Parts: []Part{
			{"", "", "An interbank funds transfer (IBFT) moves money between banks at once. Most banks charge nothing up to Rs25,000 and Rs500 or less above it."},
			{"limits", "Daily limits", "Your bank sets the daily IBFT limit; ask it to raise the limit before a sale."},
		}},
		{URL: "/guide/pay/cod/", Title: "Cash on delivery", Section: "Payments", SectionKey: "pay", Parts: []Part{
			{"", "", "Cash on delivery (COD) is still the way most customers pay. Couriers collect the cash and remit it weekly."},
			{"risks", "Risks", "A returned COD parcel costs you shipping both ways."},
		}},
		{URL: "/guide/pay/wallets/", Title: "Mobile wallets", Section: "Payments", SectionKey: "pay", Parts: []Part{
			{"", "", "JazzCash and Easypaisa wallets accept payments from any bank account or wallet."},
		}},
		{URL: "/guide/ship/couriers/", Title: "Choosing a courier", Section: "Shipping", SectionKey: "ship", Parts: []Part{
			{"", "", "Compare couriers on price, coverage and cash handling. Registration with a courier takes a day."},
			{"3p", "3P logistics", "A 3P (third-party) logistics firm stores, packs and ships orders for you."},
		}},
		{URL: "/guide/ship/returns/", Title: "Returns and refunds", Section: "Shipping", SectionKey: "ship", Parts: []Part{
			{"", "", "Accept returns within seven days. Refunds go back the way the customer paid; for cash on delivery orders, refund by bank transfer."},
		}},
		{URL: "/guide/start/", Title: "Getting started", Parts: []Part{
			{"", "", "Start selling online: register a business name, open a bank account, and choose how customers will pay."},
		}},
	}
}

// urduDocs is the Urdu edition's counterpart, with spelling variants: Arabic
// kaf and yeh (كتاب), آم (mango) beside ام, and کوئی with hamza.
func urduDocs() []Doc {
	return []Doc{
		{URL: "/guide/ur/tax/sales-tax/", Title: "سیلز ٹیکس رجسٹریشن", Section: "ٹیکس", SectionKey: "tax", Parts: []Part{
			{"", "", "ہر آن لائن فروخت کنندہ کو سیلز ٹیکس کے لیے رجسٹر ہونا ہوگا۔ معیاری شرح ۱۸٪ ہے۔"},
			{"rates", "شرح", "کچھ اشیاء پر کم شرح لاگو ہوتی ہے۔"},
		}},
		{URL: "/guide/ur/pay/cod/", Title: "کیش آن ڈیلیوری", Section: "ادائیگی", SectionKey: "pay", Parts: []Part{
			{"", "", "کوئی بھی گاہک نقد ادائیگی کر سکتا ہے۔ کورئیر رقم جمع کر کے ہفتہ وار بھیجتا ہے۔"},
		}},
		{URL: "/guide/ur/food/mango/", Title: "آم کی برآمد", Section: "خوراک", SectionKey: "food", Parts: []Part{
			{"", "", "آم کی برآمد کے لیے لائسنس ضروری ہے۔"},
		}},
		{URL: "/guide/ur/food/word/", Title: "لفظ ام", Section: "خوراک", SectionKey: "food", Parts: []Part{
			{"", "", "ام ایک الگ لفظ ہے۔"},
		}},
		{URL: "/guide/ur/books/", Title: "كتاب اور ريكارڈ", Section: "خوراک", SectionKey: "food", Parts: []Part{
			{"", "", "يہ كتاب حساب رکھنے کے بارے میں ہے۔"},
		}},
	}
}

// testdataLines returns the non-comment lines of a testdata file.
func testdataLines(t testing.TB, name string) []string {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

func mustBuild(t testing.TB, docs []Doc, lang string) (*Index, *Searcher) {
	t.Helper()
	ix, err := Build(docs, Options{Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSearcher(ix)
	if err != nil {
		t.Fatal(err)
	}
	return ix, s
}
