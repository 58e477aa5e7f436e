"""Seeds a fresh Tryton 6.0 database for Tradelane tests and demos (run with /usr/bin/python3, Debian's proteus).

Usage: seed.py <trytond.conf> <database>

Creates: company "Tradelane Demo Distribution" (USD), fiscal year with invoice sequences and periods, the minimal
chart of accounts, payment term "Net 30", payment method "Cash" (cash journal), country US, customers C1001/C1002
(party category "Customer"; C1001 with a credit limit of 50,000, C1002 with the price list "Brightline contract
2026"), products TL-1001, TL-1002 (unit u), TL-2001 (kg), TL-3001 (no stock) with list prices, and stock in the
default warehouse.
Purchasing: suppliers 5101, 5102 and 5105 (party category "Supplier", payment term "Net 30", an address) with product
supplier records (the supplier's own part number as `code`, a lead time and a purchase price), purchase numbers
prefixed "PO" and the invoice method "shipment" (Tryton prepares a draft supplier invoice for what is received).
"""
import datetime
import os
import sys
from decimal import Decimal

from proteus import Model, config

conf, database = sys.argv[1], sys.argv[2]
os.environ.setdefault('DB_NAME', database)
config.set_trytond(database=database, config_file=conf)

from trytond.modules.account.tests.tools import create_chart, create_fiscalyear, get_accounts  # noqa: E402
from trytond.modules.account_invoice.tests.tools import create_payment_term, set_fiscalyear_invoice_sequences  # noqa: E402
from trytond.modules.company.tests.tools import create_company, get_company  # noqa: E402

Party = Model.get('party.party')
company_party = Party(name='Tradelane Demo Distribution')
company_party.save()
create_company(party=company_party)
company = get_company()

fiscalyear = set_fiscalyear_invoice_sequences(create_fiscalyear(company))
fiscalyear.click('create_period')
create_chart(company)
accounts = get_accounts(company)

payment_term = create_payment_term()
payment_term.name = 'Net 30'
payment_term.save()

# Customer payments are entered with the invoice's Pay button: a payment method on the cash journal.
Journal = Model.get('account.journal')
PaymentMethod = Model.get('account.invoice.payment.method')
cash_journal, = Journal.find([('type', '=', 'cash')])
cash_method = PaymentMethod(name='Cash', journal=cash_journal, credit_account=accounts['cash'], debit_account=accounts['cash'])
cash_method.save()

Country = Model.get('country.country')
us = Country(name='United States', code='US', code3='USA', code_numeric='840')
us.save()

Category = Model.get('party.category')
customer_category = Category(name='Customer')
customer_category.save()

customers = [
    ('C1001', 'Acme Hardware', '100 Main Street', 'Chicago', '60607', 'buyer@acme.example'),
    ('C1002', 'Brightline Supply', '5 Harbor Road', 'Boston', '02110', 'orders@brightline.example'),
]


def new_party(code, name, street, city, postal, email, category):
    """A party of `category` with one US address and an email, not saved yet."""
    party = Party(name=name, code=code)
    party.categories.append(Category(category.id))
    address = party.addresses[0] if party.addresses else party.addresses.new()
    address.street = street
    address.city = city
    address.postal_code = postal
    address.country = us
    party.contact_mechanisms.new(type='email', value=email)
    return party


customer_parties = {}
for code, name, street, city, postal, email in customers:
    party = new_party(code, name, street, city, postal, email, customer_category)
    party.customer_payment_term = payment_term
    party.save()
    customer_parties[code] = party

# Credit limit (account_credit_limit): Acme may owe up to 50,000; Brightline has no limit.
acme = customer_parties['C1001']
acme.credit_limit_amount = Decimal('50000')
acme.save()

ProductCategory = Model.get('product.category')
account_category = ProductCategory(name='Goods', accounting=True)
account_category.account_expense = accounts['expense']
account_category.account_revenue = accounts['revenue']
account_category.save()

Uom = Model.get('product.uom')
unit, = Uom.find([('symbol', '=', 'u')])
kilogram, = Uom.find([('symbol', '=', 'kg')])

Template = Model.get('product.template')
items = [
    ('TL-1001', 'Hex bolt M8 x 40, zinc', unit, Decimal('12.50'), Decimal('7.00'), 500),
    ('TL-1002', 'Cable ties 200 mm, black', unit, Decimal('4.20'), Decimal('2.10'), 1000),
    ('TL-2001', 'Copper wire 2.5 mm2', kilogram, Decimal('9.80'), Decimal('6.40'), 200),
    ('TL-3001', 'Safety gloves, size L', unit, Decimal('3.75'), Decimal('1.90'), 0),
]
products = []
for code, name, uom, list_price, cost, quantity in items:
    template = Template(name=name, code=code, type='goods', default_uom=uom, list_price=list_price)
    template.salable = True
    template.sale_uom = uom
    template.purchasable = True
    template.purchase_uom = uom
    template.account_category = account_category
    template.save()
    product, = template.products
    product.cost_price = cost
    product.save()
    products.append((product, quantity, cost))

# Contract prices (sale_price_list): Brightline buys from its own price list; quantity breaks first, as Tryton uses
# the first line that matches.
PriceList = Model.get('product.price_list')
contract = PriceList(name='Brightline contract 2026')
by_sku = {product.code: product for product, _, _ in products}
for sku, quantity, price in [('TL-1001', 100, '10.50'), ('TL-1001', 0, '11.00'), ('TL-1002', 0, '3.90')]:
    contract.lines.new(product=by_sku[sku], quantity=quantity, formula="Decimal('%s')" % price)
contract.save()
brightline = customer_parties['C1002']
brightline.sale_price_list = contract
brightline.save()

Location = Model.get('stock.location')
warehouse, = Location.find([('type', '=', 'warehouse')])
supplier_location, = Location.find([('type', '=', 'supplier')])
Inventory = Model.get('stock.inventory')
inventory = Inventory(location=warehouse.storage_location)
for product, quantity, cost in products:
    if quantity > 0:
        inventory.lines.new(product=product, quantity=quantity)
inventory.save()
inventory.click('confirm')

# Purchasing: suppliers with product supplier records, so a buyer (or a test) can quote and confirm a purchase.
supplier_category = Category(name='Supplier')
supplier_category.save()
suppliers = [
    ('5101', 'Northwind Fasteners', '40 Foundry Lane', 'Cleveland', '44114', 'orders@northwind.example'),
    ('5102', 'Keystone Wire & Cable', '9 Mill Street', 'Pittsburgh', '15222', 'sales@keystone.example'),
    ('5105', 'Summit Safety Supply', '1200 Ridge Avenue', 'Denver', '80202', 'desk@summit.example'),
]
supplier_parties = {}
for code, name, street, city, postal, email in suppliers:
    party = new_party(code, name, street, city, postal, email, supplier_category)
    party.supplier_payment_term = payment_term
    party.save()
    supplier_parties[code] = party

ProductSupplier = Model.get('purchase.product_supplier')
by_code = {product.code: (product, cost) for product, _, cost in products}
supplies = [
    ('5101', 'TL-1001', 'NW-HB840', 5),
    ('5101', 'TL-1002', 'NW-CT200', 5),
    ('5102', 'TL-1002', 'KW-CT200', 10),
    ('5102', 'TL-2001', 'KW-CU25', 10),
    ('5105', 'TL-3001', 'SS-GLV-L', 7),
]
for supplier_code, sku, part_number, lead_days in supplies:
    product, cost = by_code[sku]
    record = ProductSupplier(template=product.template, product=product, party=supplier_parties[supplier_code])
    record.code = part_number
    record.lead_time = datetime.timedelta(days=lead_days)
    record.prices.new(quantity=0, unit_price=cost)
    record.save()

PurchaseConfiguration = Model.get('purchase.configuration')
purchase_configuration = PurchaseConfiguration(1)
purchase_configuration.purchase_invoice_method = 'shipment'
purchase_configuration.save()
purchase_sequence = purchase_configuration.purchase_sequence
purchase_sequence.prefix = 'PO'
purchase_sequence.padding = 5
purchase_sequence.save()
print('seeded', database)
