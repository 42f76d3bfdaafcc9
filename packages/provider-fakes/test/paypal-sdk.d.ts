// Minimal typing of @paypal/checkout-server-sdk (it ships none) for these tests.
declare module '@paypal/checkout-server-sdk' {
  export namespace core {
    class PayPalEnvironment {
      constructor(clientId: string, clientSecret: string, baseUrl: string, webUrl: string);
    }
    class PayPalHttpClient {
      constructor(environment: PayPalEnvironment);
      execute<T = unknown>(request: unknown): Promise<{ statusCode: number; result: T }>;
    }
  }
  export namespace orders {
    class OrdersCreateRequest {
      prefer(value: string): void;
      requestBody(body: unknown): void;
    }
    class OrdersCaptureRequest {
      constructor(orderId: string);
      requestBody(body: unknown): void;
    }
    class OrdersGetRequest {
      constructor(orderId: string);
    }
  }
  export namespace payments {
    class CapturesRefundRequest {
      constructor(captureId: string);
      requestBody(body: unknown): void;
    }
  }
}
