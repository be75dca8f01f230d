package markdown

import (
	"strconv"
	"strings"
	"testing"
)

// benchDoc is a ~3 KB page like the guidance site's: headings, lists, a table, a
// callout, links and a code block.
const benchDoc = `# Registering for sales tax {#register}

Online sellers in Pakistan who cross the turnover threshold must register for sales tax
with the [Federal Board of Revenue](https://fbr.gov.pk). This page explains **who** must
register, *when*, and what it costs. See also [income tax](../income-tax/index.md#who).

## Who must register

- Manufacturers with turnover above the threshold
- Retailers that are part of a chain, or that sell through an online marketplace
- Importers and exporters, whatever their turnover
  - including sellers who import stock themselves
  - and sellers who ship orders abroad

> [!NOTE]
> Registration is free. Beware of agents who charge for the form itself.

## What you need

1. Your CNIC and a mobile number registered in your name
2. A bank account in the business's name
3. Proof of business premises: a rent agreement or utility bill

| Document | Who issues it | Needed for |
|:---------|:--------------|-----------:|
| CNIC | NADRA | Everyone |
| NTN | FBR | Income tax |
| STRN | FBR | Sales tax |
| Bank certificate | Your bank | Refunds |

If you sell only through a marketplace such as Daraz, the marketplace may withhold tax
on your behalf; you still file your own return and claim what was withheld. Keep the
withholding certificates it issues each month.

## Filing a return

Returns are due by the 18th of each month. Late returns attract a penalty of Rs. 200 a
day, so set a reminder. A typical calculation looks like this:

` + "```go\n" + `package main

import "fmt"

// salesTax returns the tax on an amount in rupees at the standard rate.
func salesTax(amount float64) float64 {
	const rate = 0.18
	return amount * rate
}

func main() {
	for _, amount := range []float64{1000, 2500, 10000} {
		fmt.Printf("Rs. %.0f → tax Rs. %.0f\n", amount, salesTax(amount))
	}
}
` + "```\n" + `

### Common mistakes

- Filing a nil return when there were sales[^nil]
- Forgetting to declare marketplace commissions
- Using last year's rate after the budget changes it

> [!MYTH]
> "Small online shops never need to register."

> [!FACT]
> The threshold depends on what you sell and how; check the current rules.

## After you register

Keep records for six years: invoices issued and received, bank statements, and the
marketplace's monthly settlement reports. The FBR can ask for them in an audit, and a
seller who cannot produce them is assessed on an estimate, which is rarely in their
favour. A simple spreadsheet is enough for most small sellers; see
[keeping records](../records/index.md) and [invoices](invoices.md#format).

- [x] Register on the IRIS portal
- [x] Receive the STRN by e-mail
- [ ] File the first monthly return
- [ ] Add the STRN to every invoice

[^nil]: A nil return says you made no taxable supplies that month.
`

func BenchmarkConvert(b *testing.B) {
	c := New(Options{})
	ctx := Context{Resolve: testResolve}
	src := []byte(benchDoc)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Convert(src, ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConvertUncached changes the code block every time, so it is highlighted
// every time.
func BenchmarkConvertUncached(b *testing.B) {
	c := New(Options{})
	ctx := Context{Resolve: testResolve}
	b.SetBytes(int64(len(benchDoc)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		src := []byte(strings.Replace(benchDoc, "0.18", "0.18"+strconv.Itoa(i), 1))
		if _, err := c.Convert(src, ctx); err != nil {
			b.Fatal(err)
		}
	}
}
